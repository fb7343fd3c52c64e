package io.sealroom.client.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Room keys: 32 random bytes used with AES-256-GCM (96-bit iv, 128-bit tag, output
 * ciphertext||tag as Web Crypto produces it), and their key ids. Stateless and thread-safe: a new
 * Cipher per call, and SecureRandom is thread-safe.
 */
public final class RoomKeys {
  public static final int KEY_BYTES = 32;
  public static final int IV_BYTES = 12;
  public static final int TAG_BITS = 128;
  /** Length of a kid: 16 base64url characters, 96 bits of the key's SHA-256. */
  public static final int KID_CHARS = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private RoomKeys() {
  }

  /**
   * AES-GCM output. Arrays are compared by content. The ciphertext is not secret, but toString
   * leaves it out all the same: ciphertexts do not belong in logs.
   */
  public record Sealed(byte[] iv, byte[] ct) {
    public Sealed {
      if (iv == null || ct == null) {
        throw new IllegalArgumentException("iv and ct are required");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sealed && Arrays.equals(iv, ((Sealed) o).iv) && Arrays.equals(ct, ((Sealed) o).ct);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(iv) + Arrays.hashCode(ct);
    }

    @Override
    public String toString() {
      return "Sealed[iv=" + iv.length + " bytes, ct=" + ct.length + " bytes]";
    }
  }

  /** A new random room key (32 bytes). Key material: never log it. */
  public static byte[] generate() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** The kid of DESIGN.md: the first 16 characters of base64url(SHA-256(key)). */
  public static String kid(byte[] key) {
    checkKey(key);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return B64.encode(digest).substring(0, KID_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * AES-256-GCM encryption under a fresh random 12-byte iv. Random ivs are safe for this volume:
   * a room key is rotated long before 2^32 messages, the bound for random 96-bit ivs.
   *
   * @param aad additional authenticated data; null means none
   */
  public static Sealed encrypt(byte[] key, byte[] plaintext, byte[] aad) {
    checkKey(key);
    if (plaintext == null) {
      throw new IllegalArgumentException("plaintext is null");
    }
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      if (aad != null) {
        c.updateAAD(aad);
      }
      return new Sealed(iv, c.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * AES-256-GCM decryption of ciphertext||tag.
   *
   * @param aad the same additional data as at encryption; null means none
   * @throws javax.crypto.AEADBadTagException when the tag does not verify (wrong key, wrong aad,
   *     altered iv or ciphertext)
   * @throws GeneralSecurityException for an iv that is not 12 bytes or a ciphertext too short to
   *     hold a tag
   */
  public static byte[] decrypt(byte[] key, byte[] iv, byte[] ct, byte[] aad) throws GeneralSecurityException {
    checkKey(key);
    if (iv == null || iv.length != IV_BYTES) {
      throw new InvalidAlgorithmParameterException("the iv must be " + IV_BYTES + " bytes");
    }
    if (ct == null || ct.length < TAG_BITS / 8) {
      throw new javax.crypto.AEADBadTagException("ciphertext shorter than the tag");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    if (aad != null) {
      c.updateAAD(aad);
    }
    return c.doFinal(ct);
  }

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a room key is " + KEY_BYTES + " bytes");
    }
  }
}
