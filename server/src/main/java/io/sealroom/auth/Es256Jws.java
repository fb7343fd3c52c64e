package io.sealroom.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ES256 JWS in compact serialization, strict: a token has exactly one valid spelling. Three
 * parts of unpadded base64url with no other characters and zero unused bits (the encoding of the
 * decoded bytes must give back the same text), and a raw 64-byte r||s signature with
 * 0 &lt; r, s &lt; n and s &lt;= n/2 (low-S: of the two valid signatures (r, s) and (r, n - s)
 * only one is accepted, so a token cannot be re-signed into a second valid string). Signatures
 * made here are low-S. Reads nothing but the signature: the header and payload are the caller's
 * to check. Thread-safe.
 */
final class Es256Jws {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN (PRIVATE|PUBLIC) KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1 KEY-----");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String ALG = "SHA256withECDSAinP1363Format";
  private static final int HALF = 32;

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final BigInteger n;
  private final BigInteger halfN;

  Es256Jws(JwtKeys keys) {
    try {
      KeyFactory kf = KeyFactory.getInstance("EC");
      this.privateKey = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(der(keys.privatePem(), "PRIVATE")));
      this.publicKey = (ECPublicKey) kf.generatePublic(new X509EncodedKeySpec(der(keys.publicPem(), "PUBLIC")));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the token key is not an EC key pair", e);
    }
    this.n = publicKey.getParams().getOrder();
    this.halfN = n.shiftRight(1);
  }

  /** header.payload.signature, each part unpadded base64url of the given bytes. */
  String sign(byte[] header, byte[] payload) {
    String input = B64.encodeToString(header) + "." + B64.encodeToString(payload);
    byte[] sig;
    try {
      Signature signer = Signature.getInstance(ALG);
      signer.initSign(privateKey);
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      sig = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, HALF, 2 * HALF));
    if (s.compareTo(halfN) > 0) {
      // the JDK makes either twin; the other one is just as valid, and it is the only one accepted
      byte[] low = unsigned(n.subtract(s));
      Arrays.fill(sig, HALF, 2 * HALF, (byte) 0);
      System.arraycopy(low, 0, sig, 2 * HALF - low.length, low.length);
    }
    return input + "." + B64.encodeToString(sig);
  }

  /**
   * The decoded header and payload of a token in its one valid spelling with a good signature
   * by this key, or null.
   */
  byte[][] verify(String token) {
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      return null;
    }
    byte[] header = decode(token.substring(0, dot1));
    byte[] payload = decode(token.substring(dot1 + 1, dot2));
    byte[] sig = decode(token.substring(dot2 + 1));
    if (header == null || payload == null || sig == null || sig.length != 2 * HALF) {
      return null;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, HALF));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, HALF, 2 * HALF));
    if (r.signum() == 0 || r.compareTo(n) >= 0 || s.signum() == 0 || s.compareTo(halfN) > 0) {
      return null;
    }
    try {
      Signature verifier = Signature.getInstance(ALG);
      verifier.initVerify(publicKey);
      verifier.update(token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(sig) ? new byte[][] {header, payload} : null;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** The bytes of canonical unpadded base64url (the only spelling that encodes them), else null. */
  static byte[] decode(String part) {
    if (part.isEmpty()) {
      return null;
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return null;
      }
    }
    byte[] bytes;
    try {
      bytes = B64D.decode(part);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // the decoder ignores unused bits of the last character: only the spelling it would write counts
    return B64.encodeToString(bytes).equals(part) ? bytes : null;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] der(String pem, String type) {
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        return Base64.getMimeDecoder().decode(m.group(2).trim());
      }
    }
    throw new IllegalArgumentException("no " + type + " KEY block");
  }
}
