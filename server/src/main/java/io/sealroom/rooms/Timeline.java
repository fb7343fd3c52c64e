package io.sealroom.rooms;

import io.vertx.core.Future;

/**
 * Appends timeline events to rooms' histories (implemented by the message service: an event
 * takes the room's next seq, is delivered live and replayed like a message).
 */
public interface Timeline {
  /**
   * Appends the event caused by user {@code uid}. Completes with its seq once it is stored, or
   * with 0 once storing it failed (logged): the change it records stands either way, so this
   * future never fails.
   */
  Future<Long> append(String rid, String uid, String username, TimelineEvent event);
}
