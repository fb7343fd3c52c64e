package io.sealroom.client.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The secret of one encrypted file: a 32-byte AES-256 key and an 8-byte nonce prefix, fresh for
 * every file (docs/protocol.md, "Encrypted files: the chunked format"). Key material: toString
 * leaves it out, and the bytes are copied in and never handed out except as the base64url a file
 * descriptor carries. Immutable and thread-safe.
 */
public final class FileKey {
  /** Length of the key. */
  public static final int KEY_BYTES = 32;
  /** Length of the nonce prefix. */
  public static final int PREFIX_BYTES = 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final byte[] prefix;

  private FileKey(byte[] key, byte[] prefix) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a file key is " + KEY_BYTES + " bytes");
    }
    if (prefix == null || prefix.length != PREFIX_BYTES) {
      throw new IllegalArgumentException("a file nonce prefix is " + PREFIX_BYTES + " bytes");
    }
    this.key = key.clone();
    this.prefix = prefix.clone();
  }

  /** A new random key and prefix, for one file. */
  public static FileKey generate() {
    byte[] k = new byte[KEY_BYTES];
    byte[] p = new byte[PREFIX_BYTES];
    RANDOM.nextBytes(k);
    RANDOM.nextBytes(p);
    return new FileKey(k, p);
  }

  /** A key from its bytes (copied). */
  public static FileKey of(byte[] key, byte[] prefix) {
    return new FileKey(key, prefix);
  }

  /**
   * A key from a descriptor's {@code key} and {@code prefix} (unpadded base64url).
   *
   * @throws IllegalArgumentException when either is not canonical base64url of the right length
   */
  public static FileKey fromBase64(String key, String prefix) {
    return new FileKey(B64.decode(key), B64.decode(prefix));
  }

  /** The key as a descriptor carries it (43 characters). Secret: never log it. */
  public String keyBase64() {
    return B64.encode(key);
  }

  /** The prefix as a descriptor carries it (11 characters). */
  public String prefixBase64() {
    return B64.encode(prefix);
  }

  byte[] key() {
    return key;
  }

  byte[] prefix() {
    return prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileKey && MessageDigest.isEqual(key, ((FileKey) o).key)
        && MessageDigest.isEqual(prefix, ((FileKey) o).prefix);
  }

  @Override
  public int hashCode() {
    // the prefix only: a hash of the key would leak bits of it
    return java.util.Arrays.hashCode(prefix);
  }

  @Override
  public String toString() {
    return "FileKey[redacted]";
  }
}
