package io.sealroom.store.rocksdb;

import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.store.Docs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RoomKeyStore} on the room and membership documents. Establishing and rotating are
 * read-check-writes of the room document on the single writer: exactly one concurrent caller wins.
 */
public final class RocksRoomKeyStore implements RoomKeyStore {
  private final RocksEngine engine;

  public RocksRoomKeyStore(RocksEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Room> establish(String rid, String kid) {
    // a removal before the first key set rotationDue: the first key is new, nothing is due
    return setKid(rid, null, kid);
  }

  @Override
  public Future<Room> rotate(String rid, String previousKid, String kid) {
    return setKid(rid, previousKid, kid);
  }

  /** Sets the key id if the current one is expected (null: none); the room, or null. */
  private Future<Room> setKid(String rid, String expected, String kid) {
    return engine.write(tx -> {
      byte[] key = RocksRoomStore.roomKey(rid);
      JsonObject d = tx.doc(key);
      if (d == null || !java.util.Objects.equals(expected, d.getString("e2eKeyId"))) {
        return null;
      }
      tx.put(key, d.put("e2eKeyId", kid).put("rotationDue", false));
      return RocksRoomStore.room(tx, rid);
    });
  }

  @Override
  public Future<MemberKeys> memberKeys(String rid, String uid) {
    return engine.read(v -> {
      JsonObject d = v.doc(RocksRoomStore.memberKey(rid, uid));
      return d == null ? null : new MemberKeys(Docs.toMemberKey(d.getJsonObject("e2eKey")), Docs.oldMemberKeys(d));
    });
  }

  @Override
  public Future<Void> setKey(String rid, String uid, MemberKey key) {
    JsonObject fresh = Docs.memberKey(key);
    return engine.write(tx -> {
      byte[] mk = RocksRoomStore.memberKey(rid, uid);
      JsonObject d = tx.doc(mk);
      if (d == null) {
        return null;
      }
      JsonObject current = d.getJsonObject("e2eKey");
      if (current != null && !key.kid().equals(current.getString("kid"))) {
        d.put("oldE2eKeys", d.getJsonArray("oldE2eKeys", new JsonArray()).add(current));
      }
      tx.put(mk, d.put("e2eKey", fresh));
      return null;
    });
  }

  @Override
  public Future<Void> retire(String rid, String kid) {
    return engine.write(tx -> {
      List<JsonObject> due = new ArrayList<>();
      tx.scan(Codec.key(Codec.MEMBER, rid), null, (k, val) -> {
        JsonObject d = Codec.doc(val);
        JsonObject current = d.getJsonObject("e2eKey");
        if (current != null && kid.equals(current.getString("kid"))) {
          due.add(d);
        }
        return true;
      });
      for (JsonObject d : due) {
        d.put("oldE2eKeys", d.getJsonArray("oldE2eKeys", new JsonArray()).add(d.getJsonObject("e2eKey")));
        tx.put(RocksRoomStore.memberKey(rid, d.getString("uid")), d.putNull("e2eKey"));
      }
      return null;
    });
  }
}
