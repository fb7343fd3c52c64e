package io.sealroom.messages;

/**
 * The ciphertext of an encrypted message as clients send it; the server never parses ct.
 * {@code ukid}, when present, names the sender's key version that signed it.
 */
public record E2ePayload(String kid, String iv, String ct, String sig, String ukid) {

  public E2ePayload(String kid, String iv, String ct, String sig) {
    this(kid, iv, ct, sig, null);
  }
}
