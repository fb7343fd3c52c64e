package io.sealroom.client;

import java.util.List;
import java.util.Objects;

/**
 * A room as the server last described it. {@code role} and {@code hasKey} describe the
 * caller's membership and are null when the answer did not carry them (room frames, or a
 * public channel read by a non-member); {@code members} is empty when the answer had no list.
 *
 * @param e2eKeyId the kid of the current room key, null until the first key is established
 * @param rotationDue true after a member left an encrypted room, until a key holder rotates
 * @param head the last sequence number the room had handed out (messages and events)
 * @param keyHolders the ids of the members holding the current room key; null when the answer
 *     did not say (only answers with members do). Empty while the room has a key: nobody can
 *     hand it out any more, and a member with keys recovers the room with a new one
 */
public record Room(String id, RoomType type, String name, String ownerId, boolean encrypted, String e2eKeyId,
    boolean rotationDue, long head, String role, Boolean hasKey, List<Member> members, List<String> keyHolders) {
  public Room {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    members = members == null ? List.of() : List.copyOf(members);
    keyHolders = keyHolders == null ? null : List.copyOf(keyHolders);
  }

  /** A room without key holder information. */
  public Room(String id, RoomType type, String name, String ownerId, boolean encrypted, String e2eKeyId,
      boolean rotationDue, long head, String role, Boolean hasKey, List<Member> members) {
    this(id, type, name, ownerId, encrypted, e2eKeyId, rotationDue, head, role, hasKey, members, null);
  }

  /** True when the room has a key that no member holds any more (known only from answers with members). */
  public boolean keyLost() {
    return e2eKeyId != null && keyHolders != null && keyHolders.isEmpty();
  }
}
