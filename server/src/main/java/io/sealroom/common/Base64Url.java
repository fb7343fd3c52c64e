package io.sealroom.common;

import java.util.Base64;

/** Checks of unpadded base64url values (the encoding of every binary field of the E2E formats). */
public final class Base64Url {
  private Base64Url() {
  }

  public static boolean isBase64Url(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The decoded bytes, or null when the value is not unpadded base64url. */
  public static byte[] decode(String s) {
    if (s == null || !isBase64Url(s) || s.length() % 4 == 1) {
      return null;
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Decoded length, or -1 when malformed. */
  public static int decodedLength(String s) {
    byte[] b = decode(s);
    return b == null ? -1 : b.length;
  }
}
