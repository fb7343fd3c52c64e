package io.sealroom.kt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The log's Ed25519 signing key (JDK "Ed25519"). Stored as text, {@code ed25519:<pkcs8>:<x>}
 * (unpadded base64url of the PKCS#8 private key and of the raw 32-byte public key), in the store
 * that every node reads, so that every node signs with the same key. Its toString names only the
 * public key. Thread-safe (a Signature per call).
 */
public final class LogKey {
  private static final String PREFIX = "ed25519:";
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
  private static final int SPKI_PREFIX = 12;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final PrivateKey privateKey;
  private final String x;
  private final String stored;

  private LogKey(PrivateKey privateKey, String x, String stored) {
    this.privateKey = privateKey;
    this.x = x;
    this.stored = stored;
  }

  /** A new key. */
  public static LogKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      String x = B64.encodeToString(Arrays.copyOfRange(spki, SPKI_PREFIX, spki.length));
      String stored = PREFIX + B64.encodeToString(pair.getPrivate().getEncoded()) + ":" + x;
      return new LogKey(pair.getPrivate(), x, stored);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /** The key from its stored text; a damaged one is an IllegalArgumentException. */
  public static LogKey parse(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split(":");
    if (parts.length != 3 || !stored.startsWith(PREFIX)) {
      throw new IllegalArgumentException("the stored log key is not ed25519:<pkcs8>:<x>");
    }
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(UNB64.decode(parts[1])));
      LogKey k = new LogKey(key, parts[2], stored);
      k.checkPair();
      return k;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the stored log key is damaged: " + e.getMessage(), e);
    }
  }

  /** The text to store. */
  public String stored() {
    return stored;
  }

  /** The public key's raw 32 bytes, unpadded base64url: the JWK's {@code x}. */
  public String x() {
    return x;
  }

  /** Ed25519 signature (64 bytes) of the UTF-8 of text. */
  public byte[] sign(String text) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(text.getBytes(StandardCharsets.UTF_8));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the log key", e);
    }
  }

  /** The private key must match the stored public key, or every head would fail to verify. */
  private void checkPair() throws GeneralSecurityException {
    byte[] sig = sign("check");
    if (!Heads.verify(x, "check", sig)) {
      throw new GeneralSecurityException("the public key does not match the private key");
    }
  }

  @Override
  public String toString() {
    return "LogKey[x=" + x + "]";
  }
}
