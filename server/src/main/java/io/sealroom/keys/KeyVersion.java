package io.sealroom.keys;

/**
 * One version of a user's public keys: from its upload ({@code createdAt}) until the reset that
 * ended it ({@code endedAt}, null while current). Versions are never deleted, so a signature made
 * under an earlier version can still be checked.
 */
public record KeyVersion(String ukid, RsaPublicJwk publicKey, SigningJwk signingKey, long createdAt, Long endedAt) {

  public boolean current() {
    return endedAt == null;
  }
}
