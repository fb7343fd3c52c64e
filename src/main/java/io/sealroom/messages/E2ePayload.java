package io.sealroom.messages;

/** The ciphertext of an encrypted message as clients send it; the server never parses ct. */
public record E2ePayload(String kid, String iv, String ct, String sig) {
}
