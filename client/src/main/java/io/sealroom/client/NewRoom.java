package io.sealroom.client;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SealroomClient#createRoom(NewRoom)} creates. Build one with the factories and
 * {@link #encrypted(boolean)}, e.g. {@code NewRoom.privateGroup("ops", "bob", "carol").encrypted(true)}.
 *
 * @param name required for channels and private groups, ignored for direct messages
 * @param members other users by username (the creator is always the owner)
 * @param encrypted null to follow the server's defaults for the room type
 */
public record NewRoom(RoomType type, String name, List<String> members, Boolean encrypted) {
  public NewRoom {
    Objects.requireNonNull(type, "type");
    members = members == null ? List.of() : List.copyOf(members);
    if (type != RoomType.DIRECT && (name == null || name.isBlank())) {
      throw new IllegalArgumentException("a " + type + " room needs a name");
    }
    if (type == RoomType.DIRECT && members.size() != 1) {
      throw new IllegalArgumentException("a direct message names exactly one other user");
    }
  }

  public static NewRoom channel(String name) {
    return new NewRoom(RoomType.CHANNEL, name, List.of(), null);
  }

  public static NewRoom privateGroup(String name, String... members) {
    return new NewRoom(RoomType.PRIVATE, name, List.of(members), null);
  }

  public static NewRoom direct(String username) {
    return new NewRoom(RoomType.DIRECT, null, List.of(username), null);
  }

  /** The same room, created encrypted (true) or in plain text (false). */
  public NewRoom encrypted(boolean on) {
    return new NewRoom(type, name, members, on);
  }
}
