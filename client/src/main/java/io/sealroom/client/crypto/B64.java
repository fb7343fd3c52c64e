package io.sealroom.client.crypto;

import java.math.BigInteger;
import java.util.Base64;

/**
 * Unpadded base64url, the encoding of every binary value in Sealroom's E2E formats (JWK members,
 * ivs, ciphertexts, signatures). Stateless and thread-safe.
 */
public final class B64 {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private B64() {
  }

  /** Unpadded base64url of the bytes. */
  public static String encode(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes is null");
    }
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes unpadded base64url strictly: padding, the standard alphabet's {@code +} and
   * {@code /}, whitespace, an impossible length and non-zero unused trailing bits are all refused.
   * The last rule makes the encoding canonical, so two different strings never stand for the same
   * bytes; signatures cover these strings as sent.
   *
   * @throws IllegalArgumentException when the string is not canonical unpadded base64url
   */
  public static byte[] decode(String s) {
    if (s == null) {
      throw new IllegalArgumentException("base64url value is null");
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isAlphabet(s.charAt(i))) {
        throw new IllegalArgumentException("not unpadded base64url: bad character at " + i);
      }
    }
    int rem = s.length() % 4;
    if (rem == 1) {
      throw new IllegalArgumentException("not base64url: impossible length " + s.length());
    }
    if (rem != 0 && (value(s.charAt(s.length() - 1)) & (rem == 2 ? 0x0f : 0x03)) != 0) {
      throw new IllegalArgumentException("not canonical base64url: unused trailing bits are set");
    }
    return DECODER.decode(s);
  }

  /** True when {@link #decode} would accept the string. */
  public static boolean isValid(String s) {
    try {
      decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Minimal unsigned big-endian bytes of a non-negative integer, without the sign byte
   * {@link BigInteger#toByteArray()} adds when the high bit is set: the JWK integer rule
   * (RFC 7518 section 6.3). Zero is one zero byte.
   */
  public static byte[] unsigned(BigInteger value) {
    if (value == null || value.signum() < 0) {
      throw new IllegalArgumentException("a JWK integer must be non-negative");
    }
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      byte[] out = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, out, 0, out.length);
      return out;
    }
    return bytes;
  }

  /**
   * Decodes a JWK integer member: canonical base64url, at least one byte and no leading zero byte
   * (browsers refuse such keys, so accepting them here would only hide a peer's bug).
   */
  static BigInteger jwkInteger(String name, String s) {
    byte[] bytes;
    try {
      bytes = decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWK member \"" + name + "\" is not base64url", e);
    }
    if (bytes.length == 0 || (bytes.length > 1 && bytes[0] == 0)) {
      throw new IllegalArgumentException("JWK member \"" + name + "\" is empty or has a leading zero byte");
    }
    return new BigInteger(1, bytes);
  }

  private static boolean isAlphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : 63;
  }
}
