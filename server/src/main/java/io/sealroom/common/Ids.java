package io.sealroom.common;

import java.security.SecureRandom;

/** Random identifiers: 20 characters of base62, about 119 bits, URL-safe. */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  public static String newId() {
    char[] out = new char[LENGTH];
    byte[] bytes = new byte[LENGTH * 2];
    int n = 0;
    while (n < LENGTH) {
      RANDOM.nextBytes(bytes);
      for (int i = 0; i < bytes.length && n < LENGTH; i++) {
        int b = bytes[i] & 0xff;
        if (b < 248) { // 248 = 4 * 62: rejecting the rest keeps every character equally likely
          out[n++] = ALPHABET[b % ALPHABET.length];
        }
      }
    }
    return new String(out);
  }

  /**
   * An id of the same shape for records whose id is public and needs only to be unique (messages,
   * connections): from the thread's fast generator instead of the shared SecureRandom, which was
   * a noticeable part of a stored message's cost. About 119 random bits: collisions stay out of
   * reach, and nothing is protected by such an id being hard to guess.
   */
  public static String newPublicId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  /** True for exactly the shape {@link #newId()} makes: 20 characters of 0-9 A-Z a-z. */
  public static boolean isId(String s) {
    if (s == null || s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /** True for strings that could be an id issued by {@link #newId()} (cheap shape check). */
  public static boolean looksLikeId(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128)) {
        return false;
      }
    }
    return true;
  }
}
