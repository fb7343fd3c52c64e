package io.sealroom.kt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * What a tree head's signature covers and how it is checked: UTF-8 of
 * {@code sealroom-kt|<size>|<root>|<ts>}, root as unpadded base64url, signed with Ed25519.
 * Stateless.
 */
public final class Heads {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Heads() {
  }

  /** The signed text of a head. */
  public static String signedText(long size, byte[] root, long ts) {
    return "sealroom-kt|" + size + "|" + B64.encodeToString(root) + "|" + ts;
  }

  /** True when sig is a valid Ed25519 signature of text under the raw public key x (base64url). */
  public static boolean verify(String x, String text, byte[] sig) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey(Base64.getUrlDecoder().decode(x)));
      s.update(text.getBytes(StandardCharsets.UTF_8));
      return s.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** An Ed25519 public key from its 32 raw bytes (RFC 8032 encoding: little-endian y, x's parity in the top bit). */
  static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
    if (raw.length != 32) {
      throw new GeneralSecurityException("an Ed25519 key has 32 bytes");
    }
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = raw[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }
}
