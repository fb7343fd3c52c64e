package io.sealroom.keys;

/**
 * A user's private keys wrapped on the client under a key derived from the E2E password
 * (PBKDF2-SHA256, AES-256-GCM). The server stores it and hands it back; it cannot open it.
 */
public record WrappedPrivateKey(int v, String kdf, int iter, String salt, String alg, String iv, String ct) {
  @Override
  public String toString() {
    return "WrappedPrivateKey[v=" + v + ", kdf=" + kdf + ", iter=" + iter + ", <redacted>]";
  }
}
