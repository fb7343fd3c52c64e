package io.sealroom.messages;

import io.sealroom.rooms.TimelineEvent;

/**
 * A stored message: exactly one of text, e2e and event is set, except that a plain message
 * with files may have no text (an event is something that happened to the room, stored in its
 * history like a message; files are what the send attached, in its order). The username is kept with it
 * (usernames never change).
 */
public record Message(String id, String rid, long seq, String uid, String username, long ts,
    String cid, String text, E2ePayload e2e, TimelineEvent event, java.util.List<Attachment> files) {

  public Message {
    files = files == null ? java.util.List.of() : files;
  }

  /** A message or event without files. */
  public Message(String id, String rid, long seq, String uid, String username, long ts, String cid, String text,
      E2ePayload e2e, TimelineEvent event) {
    this(id, rid, seq, uid, username, ts, cid, text, e2e, event, java.util.List.of());
  }

  /** A message sent by a user (text or e2e). */
  public Message(String id, String rid, long seq, String uid, String username, long ts, String cid, String text,
      E2ePayload e2e) {
    this(id, rid, seq, uid, username, ts, cid, text, e2e, null);
  }

  /** The cid of every event starts with this: clients' cids cannot contain '!'. */
  public static final String EVENT_CID_PREFIX = "!ev.";

  public boolean encrypted() {
    return e2e != null;
  }

  public boolean isEvent() {
    return event != null;
  }

  /** The same message with this seq. */
  public Message withSeq(long newSeq) {
    return new Message(id, rid, newSeq, uid, username, ts, cid, text, e2e, event, files);
  }

  @Override
  public String toString() {
    // Never print content: a message may be plaintext a user considers private.
    return "Message[rid=" + rid + ", seq=" + seq + ", uid=" + uid + ", cid=" + cid
        + (event != null ? ", event=" + event.type() : "") + "]";
  }
}
