package io.sealroom.rooms;

import io.vertx.core.Future;
import java.util.List;

/**
 * Persistence of room keys: the room's current key id and each member's encrypted copies.
 * The establishing and rotating updates are single conditional updates of the room document, so
 * exactly one concurrent caller wins on any number of nodes. Futures complete on the caller's context.
 */
public interface RoomKeyStore {
  /** Sets the room's key id if it has none; the updated room, or null when one was set already. */
  Future<Room> establish(String rid, String kid);

  /** Replaces the key id if it is still previousKid and clears rotationDue; the room, or null when it changed. */
  Future<Room> rotate(String rid, String previousKid, String kid);

  /** The member's current key and key history, or null when not a member. */
  Future<MemberKeys> memberKeys(String rid, String uid);

  /** Stores the member's current key (the previous one, if of another kid, goes to the history). */
  Future<Void> setKey(String rid, String uid, MemberKey key);

  /** Moves every member's current key of kid {@code kid} to their history. */
  Future<Void> retire(String rid, String kid);

  /** A member's key state: the current key (or null) and older keys. */
  record MemberKeys(MemberKey current, List<MemberKey> old) {
  }
}
