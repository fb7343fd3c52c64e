package io.sealroom.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A user's E2E key material as stored: public key, wrapped private key, optional signing key. */
public record UserKeys(RsaPublicJwk publicKey, WrappedPrivateKey privateKey, SigningJwk signingKey, long updatedAt) {

  /**
   * Identifies the public keys (SHA-256 of n, e and the signing key): the same keys uploaded
   * again are a password change; a different signing key is a different identity (reset first).
   */
  /**
   * The key version id: the first 16 characters of base64url(SHA-256(UTF-8 of
   * {@code <n>|<e>|<signing x or empty>})).
   */
  public String ukid() {
    return ukid(publicKey, signingKey);
  }

  public static String ukid(RsaPublicJwk publicKey, SigningJwk signingKey) {
    try {
      String sig = signingKey == null ? "" : signingKey.x();
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((publicKey.n() + "|" + publicKey.e() + "|" + sig).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String fingerprint() {
    try {
      String sig = signingKey == null ? "" : signingKey.x();
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((publicKey.n() + "." + publicKey.e() + "." + sig).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
