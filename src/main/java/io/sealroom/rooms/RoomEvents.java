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
}
