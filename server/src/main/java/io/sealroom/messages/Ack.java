package io.sealroom.messages;

/** The acknowledgement of a stored message; a retried cid gets the same one. */
public record Ack(String cid, String id, long seq, long ts) {
  static Ack of(Message m) {
    return new Ack(m.cid(), m.id(), m.seq(), m.ts());
  }
}
