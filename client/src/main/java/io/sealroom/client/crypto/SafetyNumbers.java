package io.sealroom.client.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The safety number of docs/protocol.md "Safety numbers" (modelled on Signal's displayable
 * fingerprint): for each user, 5200 rounds of SHA-512 over their Ed25519 key {@code x} and user
 * id give 30 digits; the two halves in ascending order make the 60 digits both users see.
 * Stateless; one half costs 5200 SHA-512 blocks (well under a millisecond per hundred).
 */
public final class SafetyNumbers {
  /** Hashes per half, the first included. */
  public static final int ITERATIONS = 5200;
  public static final int HALF_DIGITS = 30;
  private static final int CHUNKS = 6;
  private static final int CHUNK_BYTES = 5;

  private SafetyNumbers() {
  }

  /**
   * The 30 digits of one user.
   *
   * @param signingX the 32 raw bytes of the user's current Ed25519 public key
   * @param uid the user id
   */
  public static String half(byte[] signingX, String uid) {
    if (signingX == null || signingX.length != SigningKeys.KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    MessageDigest d = sha512();
    d.update(new byte[] {0, 0});
    d.update(signingX);
    d.update(uid.getBytes(StandardCharsets.UTF_8));
    byte[] h = d.digest();
    for (int i = 1; i < ITERATIONS; i++) {
      d.update(h);
      d.update(signingX);
      h = d.digest();
    }
    StringBuilder out = new StringBuilder(HALF_DIGITS);
    for (int c = 0; c < CHUNKS; c++) {
      long v = 0;
      for (int b = 0; b < CHUNK_BYTES; b++) {
        v = (v << 8) | (h[c * CHUNK_BYTES + b] & 0xff);
      }
      out.append(String.format("%05d", v % 100_000));
    }
    return out.toString();
  }

  /** The 60 digits of two users: their halves in ascending string order, so both compute the same. */
  public static String of(byte[] xA, String uidA, byte[] xB, String uidB) {
    String a = half(xA, uidA);
    String b = half(xB, uidB);
    return a.compareTo(b) <= 0 ? a + b : b + a;
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is not available", e);
    }
  }
}
