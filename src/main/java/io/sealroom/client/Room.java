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
 * @param head the last sequence number the room had handed out
 */
public record Room(String id, RoomType type, String name, String ownerId, boolean encrypted, String e2eKeyId,
    boolean rotationDue, long head, String role, Boolean hasKey, List<Member> members) {
  public Room {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    members = members == null ? List.of() : List.copyOf(members);
  }
}
