package io.sealroom.rooms;

import java.util.Collection;

/**
 * Where room changes go (implemented by the gateway, which tells connected users). Called after
 * the change is stored; delivery is at most once per connection.
 */
public interface RoomEvents {
  /**
   * The room changed; tell these users. {@code removed}, when not null, names who lost their
   * membership and who removed them: their live subscriptions to the room end, and they are told why.
   */
  void roomChanged(Room room, Collection<String> uids, Removal removed);

  /** A membership that ended: {@code uid} was removed by {@code byId}, or left (the same user). */
  record Removal(String uid, String byId, String byUsername) {
    public boolean left() {
      return uid.equals(byId);
    }
  }

  /** Members are waiting for the room key: tell the members who hold it (keys.needed). */
  void keysNeeded(String rid, Collection<String> holders, java.util.List<Waiting> waiting);

  /** A room key of this kid was stored for these members (key). */
  void keyStored(String rid, String kid, Collection<String> uids);
}
