package io.sealroom.messages;

import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a send needs to know about its room (type, encryption, current key id) and whether the
 * sender is a member, remembered between sends so that the common send reads nothing from the
 * store. Every change of a room or of its members invalidates its entry ({@link #invalidate},
 * called when the change is announced, on every node). A read that started before an
 * invalidation is answered but not remembered (each room has a generation number), so a stale
 * answer is never kept. Bounded: past {@code maxRooms} rooms it starts over. Thread-safe.
 */
final class RoomRulesCache {
  static final int MAX_MEMBERS_PER_ROOM = 100_000;

  private final RoomStore rooms;
  private final int maxRooms;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> generations = new ConcurrentHashMap<>();

  private static final class Entry {
    final Room room;
    final long generation;
    final ConcurrentHashMap<String, Boolean> members = new ConcurrentHashMap<>();

    Entry(Room room, long generation) {
      this.room = room;
      this.generation = generation;
    }
  }

  RoomRulesCache(RoomStore rooms, int maxRooms) {
    this.rooms = rooms;
    this.maxRooms = maxRooms;
  }

  /** The room, or null when there is none. */
  Future<Room> room(String rid) {
    Entry e = entries.get(rid);
    if (e != null) {
      return Future.succeededFuture(e.room);
    }
    long gen = generation(rid);
    return rooms.findRoom(rid).map(r -> {
      if (r != null && generation(rid) == gen) {
        if (entries.size() >= maxRooms) {
          entries.clear();
        }
        entries.putIfAbsent(rid, new Entry(r, gen));
      }
      return r;
    });
  }

  /** Whether the user is a member of the room. */
  Future<Boolean> isMember(String rid, String uid) {
    Entry e = entries.get(rid);
    Boolean known = e == null ? null : e.members.get(uid);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long gen = generation(rid);
    return rooms.findMembership(rid, uid).map(s -> {
      boolean member = s != null;
      Entry now = entries.get(rid);
      if (now != null && now.generation == gen && generation(rid) == gen
          && now.members.size() < MAX_MEMBERS_PER_ROOM) {
        now.members.put(uid, member);
      }
      return member;
    });
  }

  /** The room or its membership changed: forget what was known and ignore reads already under way. */
  void invalidate(String rid) {
    generations.merge(rid, 1L, Long::sum);
    entries.remove(rid);
  }

  private long generation(String rid) {
    return generations.getOrDefault(rid, 0L);
  }
}
