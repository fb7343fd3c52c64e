package io.sealroom.keys;

/** A user's RSA-OAEP-256 public key as a JWK: modulus and exponent, unsigned big-endian base64url. */
public record RsaPublicJwk(String n, String e) {
}
