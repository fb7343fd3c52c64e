package io.sealroom.messages;

/** A stored message: exactly one of text and e2e is set. The username is kept with it (usernames never change). */
public record Message(String id, String rid, long seq, String uid, String username, long ts,
    String cid, String text, E2ePayload e2e) {

  public boolean encrypted() {
    return e2e != null;
  }

  @Override
  public String toString() {
    // Never print content: a message may be plaintext a user considers private.
    return "Message[rid=" + rid + ", seq=" + seq + ", uid=" + uid + ", cid=" + cid + "]";
  }
}
