package io.sealroom.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A user's E2E key material as stored: public key, wrapped private key, optional signing key. */
public record UserKeys(RsaPublicJwk publicKey, WrappedPrivateKey privateKey, SigningJwk signingKey, long updatedAt) {

  /** Identifies the public key (SHA-256 of n and e): the same key uploaded again is a password change. */
  public String fingerprint() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((publicKey.n() + "." + publicKey.e()).getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
