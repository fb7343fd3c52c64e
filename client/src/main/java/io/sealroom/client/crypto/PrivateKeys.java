package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/**
 * A user's unwrapped private keys: the RSA-OAEP pair (room keys are wrapped to it) and, optionally,
 * the Ed25519 signing pair. Converts to and from the private keys JSON
 * {@code {"enc":<RSA JWK>,"sig":<Ed25519 JWK>?}} that {@link KeyWrap} protects. Immutable and
 * thread-safe; toString never shows key material.
 */
public final class PrivateKeys {
  private final RSAPrivateCrtKey rsaPrivate;
  private final RSAPublicKey rsaPublic;
  private final PrivateKey signingPrivate;
  private final PublicKey signingPublic;

  /**
   * @param signing the Ed25519 pair, or null for a user without a signing key
   * @throws IllegalArgumentException when the RSA key lacks its CRT parts, or a pair does not match
   */
  public PrivateKeys(KeyPair rsa, KeyPair signing) {
    if (!(rsa.getPrivate() instanceof RSAPrivateCrtKey) || !(rsa.getPublic() instanceof RSAPublicKey)) {
      throw new IllegalArgumentException("an RSA key pair with a CRT private key is required");
    }
    this.rsaPrivate = (RSAPrivateCrtKey) rsa.getPrivate();
    this.rsaPublic = (RSAPublicKey) rsa.getPublic();
    if (!rsaPrivate.getModulus().equals(rsaPublic.getModulus())
        || !rsaPrivate.getPublicExponent().equals(rsaPublic.getPublicExponent())) {
      throw new IllegalArgumentException("the RSA private and public keys do not match");
    }
    this.signingPrivate = signing == null ? null : signing.getPrivate();
    this.signingPublic = signing == null ? null : signing.getPublic();
    if (signing != null) {
      SigningKeys.checkPair(signingPrivate, signingPublic);
    }
  }

  /** A new RSA-2048 pair and a new Ed25519 pair (RSA key generation takes a few hundred ms). */
  public static PrivateKeys generate() {
    return new PrivateKeys(RsaKeys.generate(), SigningKeys.generate());
  }

  /**
   * Reads the private keys JSON (the output of {@link KeyWrap#unwrap}).
   *
   * @throws IllegalArgumentException when it is malformed
   */
  public static PrivateKeys fromJson(String json) {
    JsonObject o = Json.object(json, "private keys");
    RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) RsaKeys.parsePrivateJwk(
        Json.object(o, "enc", "private keys").encode());
    KeyPair signing = null;
    if (o.getValue("sig") != null) {
      JsonObject sig = Json.object(o, "sig", "private keys");
      PrivateKey priv = SigningKeys.parsePrivateJwk(sig.encode());
      signing = new KeyPair(SigningKeys.publicFromRaw(Json.bytes(sig, "x", "Ed25519 JWK")), priv);
    }
    return new PrivateKeys(new KeyPair(RsaKeys.publicOf(rsa), rsa), signing);
  }

  /** Unwraps a wrapped private key (up to a second at 600,000 iterations: not on an event loop). */
  public static PrivateKeys unwrap(char[] password, String wrappedJson) throws WrongPasswordException {
    return fromJson(KeyWrap.unwrap(password, wrappedJson));
  }

  /** {@code {"enc":..,"sig":..}}; "sig" is left out without a signing key. Key material. */
  public String toJson() {
    JsonObject o = new JsonObject().put("enc", new JsonObject(RsaKeys.privateJwk(rsaPrivate)));
    if (signingPrivate != null) {
      o.put("sig", new JsonObject(SigningKeys.privateJwk(signingPrivate, signingPublic)));
    }
    return o.encode();
  }

  /** The wrapped private key under this password at the default iteration count. */
  public String wrap(char[] password) {
    return KeyWrap.wrap(password, toJson(), KeyWrap.DEFAULT_ITERATIONS);
  }

  public RSAPrivateKey rsaPrivate() {
    return rsaPrivate;
  }

  public RSAPublicKey rsaPublic() {
    return rsaPublic;
  }

  /** The Ed25519 private key, or null. */
  public PrivateKey signingPrivate() {
    return signingPrivate;
  }

  /** The Ed25519 public key, or null. */
  public PublicKey signingPublic() {
    return signingPublic;
  }

  /** The publicKey JWK to publish. */
  public String publicJwk() {
    return RsaKeys.publicJwk(rsaPublic);
  }

  /** The signingKey JWK to publish, or null. */
  public String signingJwk() {
    return signingPublic == null ? null : SigningKeys.publicJwk(signingPublic);
  }

  @Override
  public String toString() {
    return "PrivateKeys[rsa=" + RsaKeys.modulusBits(rsaPublic) + " bits, signing="
        + (signingPrivate != null) + ", key material redacted]";
  }
}
