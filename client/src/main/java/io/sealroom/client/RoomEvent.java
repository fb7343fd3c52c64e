package io.sealroom.client;

import java.util.Objects;

/**
 * Something that happened to a room, kept in its history like a message: it has the next seq,
 * arrives live and on resume in seq order among the messages, and its {@link ChatMessage#sender()}
 * is the user who caused it. Which fields are set depends on the type; the others are null.
 * A server may add types: treat an unknown one as informational.
 *
 * @param type one of the constants below
 * @param user the user it concerns: the member added, removed or leaving, or the user whose
 *     keys changed
 * @param name the new name ({@value #ROOM_RENAMED})
 * @param kid the new room key id ({@value #KEY_ROTATED})
 * @param reason why the key was rotated: {@value #REASON_MEMBER_REMOVED}, {@value #REASON_OWNER}
 *     or {@value #REASON_RECOVERED} ({@value #KEY_ROTATED})
 * @param ukid the user's new key version ({@value #USER_KEYS_CHANGED})
 */
public record RoomEvent(String type, User user, String name, String kid, String reason, String ukid) {
  public static final String ROOM_CREATED = "room.created";
  public static final String MEMBER_ADDED = "member.added";
  /** Removed by an owner: the message's sender is that owner. */
  public static final String MEMBER_REMOVED = "member.removed";
  public static final String MEMBER_LEFT = "member.left";
  public static final String ROOM_RENAMED = "room.renamed";
  public static final String ENCRYPTION_ENABLED = "encryption.enabled";
  public static final String ENCRYPTION_DISABLED = "encryption.disabled";
  public static final String KEY_ROTATED = "key.rotated";
  /** The user set new keys after a reset: their later messages are signed with a new key version. */
  public static final String USER_KEYS_CHANGED = "user.keys.changed";

  public static final String REASON_MEMBER_REMOVED = "member_removed";
  public static final String REASON_OWNER = "owner";
  /** Nobody held the room key any more: a member replaced it; history under the old key is lost. */
  public static final String REASON_RECOVERED = "recovered";

  public RoomEvent {
    Objects.requireNonNull(type, "type");
  }

  public boolean is(String eventType) {
    return type.equals(eventType);
  }
}
