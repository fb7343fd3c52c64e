package io.sealroom.rooms;

/**
 * A stored room. {@code seq} is the last sequence number handed out; {@code dmKey} identifies a
 * direct message by its two members (null for other types).
 */
public record Room(String id, RoomType type, String name, String ownerId, boolean encrypted,
    String e2eKeyId, boolean rotationDue, long seq, long createdAt, String dmKey) {

  /** The same room with its head at {@code newSeq}, when that is higher. */
  public Room withSeqAtLeast(long newSeq) {
    return newSeq <= seq ? this
        : new Room(id, type, name, ownerId, encrypted, e2eKeyId, rotationDue, newSeq, createdAt, dmKey);
  }
}
