package io.sealroom.rooms;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Persistence of rooms and memberships. Single-document updates are atomic; nothing here
 * relies on multi-document transactions. Futures complete on the caller's context.
 */
public interface RoomStore {
  /** Fails with {@link DmExists} when a DM with the same dmKey exists. */
  Future<Void> insertRoom(Room room);

  /** A direct message between the same two users exists already (a concurrent creation won). */
  final class DmExists extends RuntimeException {
    public DmExists() {
      super("direct message exists", null, false, false);
    }
  }

  /** The room or null. */
  Future<Room> findRoom(String rid);

  /** The direct-message room with this key or null. */
  Future<Room> findDm(String dmKey);

  Future<List<Room>> findRooms(Collection<String> rids);

  /** Inserts memberships; existing ones (same rid and uid) are left as they are. */
  Future<Void> upsertMemberships(List<Membership> subs);

  /** The membership or null. */
  Future<Membership> findMembership(String rid, String uid);

  Future<List<Membership>> membershipsOfUser(String uid);

  Future<List<Membership>> membershipsOfRoom(String rid);

  /** True when a membership was removed. */
  Future<Boolean> deleteMembership(String rid, String uid);

  /** Applies the changes that are non-null; the updated room, or null when it does not exist. */
  Future<Room> update(String rid, String name, Boolean encrypted, Boolean rotationDue);
}
