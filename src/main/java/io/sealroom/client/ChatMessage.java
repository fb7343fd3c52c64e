package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;

/**
 * A message of a room, decrypted when it was encrypted.
 *
 * @param roomId the room
 * @param id the server's message id
 * @param seq the room sequence number: messages arrive in seq order, each once
 * @param ts when the server first stored it, epoch milliseconds
 * @param cid the sender's client id (part of the authenticated data of an encrypted message)
 * @param sender who sent it (the server's word; for an encrypted message the AAD binds it)
 * @param text the plain text; null when an encrypted message could not be read
 * @param encrypted whether it travelled end-to-end encrypted
 * @param verification for a decrypted message, the state of its Ed25519 signature against
 *     the sender's signing key; null for plain-text messages and unreadable ones
 */
public record ChatMessage(String roomId, String id, long seq, long ts, String cid, User sender, String text,
    boolean encrypted, Envelope.Verification verification) {

  /** False for an encrypted message whose key this user does not hold or whose ciphertext failed to open. */
  public boolean readable() {
    return text != null;
  }

  /** True when the message was decrypted and its signature verified with the sender's signing key. */
  public boolean verified() {
    return verification == Envelope.Verification.VERIFIED;
  }

  @Override
  public String toString() {
    // the text stays out of logs
    return "ChatMessage[room=" + roomId + ", seq=" + seq + ", from=" + (sender == null ? null : sender.username())
        + ", encrypted=" + encrypted + ", readable=" + readable() + ", verification=" + verification + "]";
  }
}
