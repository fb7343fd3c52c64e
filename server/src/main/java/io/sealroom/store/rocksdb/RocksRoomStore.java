package io.sealroom.store.rocksdb;

import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.Membership;
import io.sealroom.store.Docs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link RoomStore} on the embedded store: "r rid" rooms, "d dmKey" direct messages, "s rid uid"
 * memberships with "t uid rid" beside each, so that both member lists and a user's rooms are
 * prefix reads. A room's seq is its last message's (the greatest "m rid" key), never a counter
 * that could lag.
 */
public final class RocksRoomStore implements RoomStore {
  private final RocksEngine engine;

  public RocksRoomStore(RocksEngine engine) {
    this.engine = engine;
  }

  static byte[] roomKey(String rid) {
    return Codec.key(Codec.ROOM, rid);
  }

  static byte[] memberKey(String rid, String uid) {
    return Codec.key(Codec.MEMBER, rid, uid);
  }

  static byte[] memberOfUserKey(String uid, String rid) {
    return Codec.key(Codec.MEMBER_OF_USER, uid, rid);
  }

  /** The room with its current head as seq, or null. */
  static Room room(View v, String rid) {
    JsonObject d = v.doc(roomKey(rid));
    if (d == null) {
      return null;
    }
    return Docs.toRoom(d.put("seq", Math.max(d.getLong("seq", 0L), head(v, rid))));
  }

  /** The room's last stored seq (0 when none). */
  static long head(View v, String rid) {
    byte[] last = v.lastKey(Codec.key(Codec.MESSAGE, rid));
    return last == null ? 0 : Codec.seqOf(last);
  }

  /** The rids of the user's rooms. */
  static List<String> roomsOf(View v, String uid) {
    List<String> rids = new ArrayList<>();
    v.scan(Codec.key(Codec.MEMBER_OF_USER, uid), null, (k, val) -> rids.add(Codec.lastPart(k)));
    return rids;
  }

  /** Writes a room document (and its DM key); false, writing nothing, when another room has the DM key. */
  static boolean putRoom(Tx tx, JsonObject doc) {
    String dmKey = doc.getString("dmKey");
    if (dmKey != null) {
      byte[] dm = Codec.key(Codec.DM, dmKey);
      byte[] owner = tx.get(dm);
      if (owner != null && !Codec.string(owner).equals(doc.getString("_id"))) {
        return false;
      }
      tx.put(dm, Codec.utf8(doc.getString("_id")));
    }
    tx.put(roomKey(doc.getString("_id")), doc);
    return true;
  }

  /** Writes a membership document and its per-user key. */
  static void putMember(Tx tx, JsonObject doc) {
    tx.put(memberKey(doc.getString("rid"), doc.getString("uid")), doc);
    tx.put(memberOfUserKey(doc.getString("uid"), doc.getString("rid")), Codec.EMPTY);
  }

  @Override
  public Future<Void> insertRoom(Room room) {
    JsonObject doc = Docs.room(room);
    return engine.write(tx -> putRoom(tx, doc))
        .compose(stored -> stored ? Future.succeededFuture() : Future.failedFuture(new DmExists()));
  }

  @Override
  public Future<Room> findRoom(String rid) {
    return engine.read(v -> room(v, rid));
  }

  @Override
  public Future<Room> findDm(String dmKey) {
    return engine.read(v -> {
      byte[] rid = v.get(Codec.key(Codec.DM, dmKey));
      return rid == null ? null : room(v, Codec.string(rid));
    });
  }

  @Override
  public Future<List<Room>> findRooms(Collection<String> rids) {
    List<String> wanted = List.copyOf(rids);
    return engine.read(v -> {
      List<Room> out = new ArrayList<>();
      for (String rid : wanted) {
        Room r = room(v, rid);
        if (r != null) {
          out.add(r);
        }
      }
      return out;
    });
  }

  @Override
  public Future<Void> upsertMemberships(List<Membership> subs) {
    if (subs.isEmpty()) {
      return Future.succeededFuture();
    }
    List<JsonObject> docs = subs.stream().map(Docs::subscription).toList();
    return engine.write(tx -> {
      for (JsonObject d : docs) {
        if (tx.get(memberKey(d.getString("rid"), d.getString("uid"))) == null) {
          putMember(tx, d);
        }
      }
      return null;
    });
  }

  @Override
  public Future<Membership> findMembership(String rid, String uid) {
    return engine.read(v -> {
      JsonObject d = v.doc(memberKey(rid, uid));
      return d == null ? null : Docs.toMembership(d);
    });
  }

  @Override
  public Future<List<Membership>> membershipsOfUser(String uid) {
    return engine.read(v -> {
      List<Membership> out = new ArrayList<>();
      for (String rid : roomsOf(v, uid)) {
        JsonObject d = v.doc(memberKey(rid, uid));
        if (d != null) {
          out.add(Docs.toMembership(d));
        }
      }
      return out;
    });
  }

  @Override
  public Future<List<Membership>> membershipsOfRoom(String rid) {
    return engine.read(v -> {
      List<Membership> out = new ArrayList<>();
      v.scan(Codec.key(Codec.MEMBER, rid), null, (k, val) -> out.add(Docs.toMembership(Codec.doc(val))));
      return out;
    });
  }

  @Override
  public Future<Boolean> deleteMembership(String rid, String uid) {
    return engine.write(tx -> {
      byte[] mk = memberKey(rid, uid);
      if (tx.get(mk) == null) {
        return false;
      }
      tx.delete(mk);
      tx.delete(memberOfUserKey(uid, rid));
      return true;
    });
  }

  @Override
  public Future<Room> update(String rid, String name, Boolean encrypted, Boolean rotationDue) {
    if (name == null && encrypted == null && rotationDue == null) {
      return findRoom(rid);
    }
    return engine.write(tx -> {
      JsonObject d = tx.doc(roomKey(rid));
      if (d == null) {
        return null;
      }
      if (name != null) {
        d.put("name", name);
      }
      if (encrypted != null) {
        d.put("encrypted", encrypted);
      }
      if (rotationDue != null) {
        d.put("rotationDue", rotationDue);
      }
      tx.put(roomKey(rid), d);
      return room(tx, rid);
    });
  }
}
