package io.sealroom.rooms;

import io.vertx.core.Future;

/**
 * What the room service tells about memberships, once they are stored (implemented by the room
 * key service). Called on the context of the request that made the change; an implementation
 * must not block.
 */
public interface MembershipEvents {
  /**
   * Someone became a member of this room (they may be waiting for its key). The request does
   * not wait for this.
   */
  Future<Void> memberAdded(Room room);
}
