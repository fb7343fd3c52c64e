package io.sealroom.messages;

import io.sealroom.rooms.Membership;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RoomStore} in memory for the message unit tests. Answers synchronously, inside the
 * call, unless room reads are held ({@link #holdRoomReads}): then {@link #findRoom} reads the room
 * at once but answers only when the test calls {@link #releaseRoomReads}, so that a change made
 * meanwhile plays a read that raced it. Counts the reads a send makes. Thread-safe (synchronized).
 */
final class MemoryRoomStore implements RoomStore {
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Map<String, Map<String, Membership>> members = new HashMap<>();
  private final List<Runnable> heldReads = new ArrayList<>();
  private boolean holdingReads;
  private int roomReads;
  private int membershipReads;

  /** Stores the room as it is (a later put replaces it, as an update would). */
  synchronized void put(Room room) {
    rooms.put(room.id(), room);
  }

  synchronized void addMember(String rid, String uid) {
    members.computeIfAbsent(rid, k -> new LinkedHashMap<>())
        .put(uid, new Membership(rid, uid, "name-" + uid, Membership.Role.MEMBER, 1, null));
  }

  synchronized void holdRoomReads() {
    holdingReads = true;
  }

  /** Answers the held room reads, with the rooms as they were read, and stops holding. */
  void releaseRoomReads() {
    List<Runnable> due;
    synchronized (this) {
      holdingReads = false;
      due = new ArrayList<>(heldReads);
      heldReads.clear();
    }
    due.forEach(Runnable::run);
  }

  synchronized int heldRoomReads() {
    return heldReads.size();
  }

  synchronized int roomReads() {
    return roomReads;
  }

  synchronized int membershipReads() {
    return membershipReads;
  }

  @Override
  public synchronized Future<Void> insertRoom(Room room) {
    if (room.dmKey() != null && rooms.values().stream().anyMatch(r -> room.dmKey().equals(r.dmKey()))) {
      return Future.failedFuture(new DmExists());
    }
    rooms.put(room.id(), room);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Room> findRoom(String rid) {
    roomReads++;
    if (holdingReads) {
      Room asItWas = rooms.get(rid);
      Promise<Room> later = Promise.promise();
      heldReads.add(() -> later.complete(asItWas));
      return later.future();
    }
    return Future.succeededFuture(rooms.get(rid));
  }

  @Override
  public synchronized Future<Room> findDm(String dmKey) {
    return Future.succeededFuture(rooms.values().stream().filter(r -> dmKey.equals(r.dmKey())).findFirst().orElse(null));
  }

  @Override
  public synchronized Future<List<Room>> findRooms(Collection<String> rids) {
    return Future.succeededFuture(rids.stream().map(rooms::get).filter(Objects::nonNull).toList());
  }

  @Override
  public synchronized Future<Void> upsertMemberships(List<Membership> subs) {
    for (Membership m : subs) {
      members.computeIfAbsent(m.rid(), k -> new LinkedHashMap<>()).putIfAbsent(m.uid(), m);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Membership> findMembership(String rid, String uid) {
    membershipReads++;
    return Future.succeededFuture(members.getOrDefault(rid, Map.of()).get(uid));
  }

  @Override
  public synchronized Future<List<Membership>> membershipsOfUser(String uid) {
    List<Membership> out = new ArrayList<>();
    members.values().forEach(room -> {
      if (room.containsKey(uid)) {
        out.add(room.get(uid));
      }
    });
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<List<Membership>> membershipsOfRoom(String rid) {
    return Future.succeededFuture(new ArrayList<>(members.getOrDefault(rid, Map.of()).values()));
  }

  @Override
  public synchronized Future<Boolean> deleteMembership(String rid, String uid) {
    Map<String, Membership> room = members.get(rid);
    return Future.succeededFuture(room != null && room.remove(uid) != null);
  }

  @Override
  public synchronized Future<Room> update(String rid, String name, Boolean encrypted, Boolean rotationDue) {
    Room r = rooms.get(rid);
    if (r == null) {
      return Future.succeededFuture(null);
    }
    Room updated = new Room(r.id(), r.type(), name != null ? name : r.name(), r.ownerId(),
        encrypted != null ? encrypted : r.encrypted(), r.e2eKeyId(), rotationDue != null ? rotationDue : r.rotationDue(),
        r.seq(), r.createdAt(), r.dmKey());
    rooms.put(rid, updated);
    return Future.succeededFuture(updated);
  }
}
