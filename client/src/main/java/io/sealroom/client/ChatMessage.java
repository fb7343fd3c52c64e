package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a room's history: a message (decrypted when it was encrypted), or a timeline
 * event ({@link #isEvent()}). Both come through the same subscription in seq order.
 *
 * @param roomId the room
 * @param id the server's message id
 * @param seq the room sequence number: entries arrive in seq order, each once
 * @param ts when the server first stored it, epoch milliseconds
 * @param cid the sender's client id (part of the authenticated data of an encrypted message);
 *     null for an event
 * @param sender who sent it, or who caused the event (the server's word; for an encrypted
 *     message the AAD binds it)
 * @param text the plain text; null for an event and when an encrypted message could not be read
 *     ({@link #state()} says why)
 * @param encrypted whether it travelled end-to-end encrypted
 * @param verification for a decrypted message, the state of its Ed25519 signature against the
 *     sender's key version that made it; null for plain-text messages, events and unreadable ones
 * @param state what this entry holds: text, an event, or why there is no text
 * @param event the timeline event when {@code state} is {@link State#EVENT}, else null
 * @param files the files attached to the message, in the order sent (never null; empty when
 *     none): the server's file objects in a plain room, the descriptors from inside the
 *     ciphertext in an encrypted room. Download them with {@link SealroomClient#download}
 */
public record ChatMessage(String roomId, String id, long seq, long ts, String cid, User sender, String text,
    boolean encrypted, Envelope.Verification verification, State state, RoomEvent event, List<Attachment> files) {

  /** What a {@link ChatMessage} holds. */
  public enum State {
    /** A message whose text is in {@code text}: plain, or decrypted. */
    TEXT,
    /** A timeline event, in {@code event}; no text. */
    EVENT,
    /** Readable (plain, or decrypted and checked) but without a text: e.g. only files ({@code files}). */
    NO_TEXT,
    /**
     * Encrypted under a room key this user does not have and will never get: no member hands
     * it out any more (history from before the user had keys or before their key reset, a key
     * nobody held any more and the room recovered from, a room no longer encrypted). It is
     * lost to this user, not waiting: the SDK holds a message that waits for its key.
     */
    KEY_LOST,
    /** The room key is held but the ciphertext does not open with it: altered, or not sealed for this room and sender. */
    UNDECRYPTABLE
  }

  public ChatMessage {
    Objects.requireNonNull(state, "state");
    files = files == null ? List.of() : List.copyOf(files);
    if ((state == State.EVENT) != (event != null)) {
      throw new IllegalArgumentException("an event entry has an event, and only an event entry");
    }
    if ((state == State.TEXT) != (text != null)) {
      throw new IllegalArgumentException("text is set exactly for state TEXT");
    }
  }

  /** True for a timeline event (a member joined, the key rotated ...): a bot that wants only messages skips these. */
  public boolean isEvent() {
    return event != null;
  }

  /** True when {@code text} holds the message: false for events and for encrypted messages that could not be read. */
  public boolean readable() {
    return text != null;
  }

  /** True when files are attached ({@link #files()}). */
  public boolean hasFiles() {
    return !files.isEmpty();
  }

  /** True for an encrypted message under a key this user will never get ({@link State#KEY_LOST}). */
  public boolean keyLost() {
    return state == State.KEY_LOST;
  }

  /** True when the message was decrypted and its signature verified with the sender's signing key. */
  public boolean verified() {
    return verification == Envelope.Verification.VERIFIED;
  }

  @Override
  public String toString() {
    // the text stays out of logs
    return "ChatMessage[room=" + roomId + ", seq=" + seq + ", from=" + (sender == null ? null : sender.username())
        + (event != null ? ", event=" + event.type() : ", encrypted=" + encrypted + ", state=" + state
        + ", verification=" + verification + (files.isEmpty() ? "" : ", files=" + files.size())) + "]";
  }
}
