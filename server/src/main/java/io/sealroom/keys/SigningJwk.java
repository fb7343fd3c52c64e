package io.sealroom.keys;

/** A user's Ed25519 public signing key as a JWK: x is the raw 32-byte key in base64url. */
public record SigningJwk(String x) {
}
