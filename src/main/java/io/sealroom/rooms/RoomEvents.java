package io.sealroom.rooms;

import java.util.Collection;

/**
 * Where room changes go (implemented by the gateway, which tells connected users). Called after
 * the change is stored; delivery is at most once per connection.
 */
public interface RoomEvents {
  /**
   * The room changed; tell these users. {@code removedUid}, when not null, lost their membership:
   * their live subscriptions to the room end.
   */
  void roomChanged(Room room, Collection<String> uids, String removedUid);

  /** Members are waiting for the room key: tell the members who hold it (keys.needed). */
  void keysNeeded(String rid, Collection<String> holders, java.util.List<Waiting> waiting);

  /** A room key of this kid was stored for these members (key). */
  void keyStored(String rid, String kid, Collection<String> uids);
}
