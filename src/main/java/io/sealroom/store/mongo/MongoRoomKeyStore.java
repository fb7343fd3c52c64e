package io.sealroom.store.mongo;

import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RoomKeyStore} on the rooms and subscriptions collections. A member's key is
 * {@code e2eKey: {kid, alg, ct}}, older ones are in {@code oldE2eKeys}.
 */
public final class MongoRoomKeyStore implements RoomKeyStore {
  private final MongoClient mongo;

  public MongoRoomKeyStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Room> establish(String rid, String kid) {
    // a removal before the first key set rotationDue: the first key is new, nothing is due
    return conditionalKid(new JsonObject().put("_id", rid).putNull("e2eKeyId"),
        new JsonObject().put("e2eKeyId", kid).put("rotationDue", false));
  }

  @Override
  public Future<Room> rotate(String rid, String previousKid, String kid) {
    return conditionalKid(new JsonObject().put("_id", rid).put("e2eKeyId", previousKid),
        new JsonObject().put("e2eKeyId", kid).put("rotationDue", false));
  }

  private Future<Room> conditionalKid(JsonObject query, JsonObject set) {
    return mongo.findOneAndUpdateWithOptions(MongoCollections.ROOMS, query, new JsonObject().put("$set", set),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .map(d -> d == null ? null : MongoRoomStore.toRoom(d))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<MemberKeys> memberKeys(String rid, String uid) {
    return mongo.findOne(MongoCollections.SUBSCRIPTIONS, member(rid, uid), null)
        .map(d -> {
          if (d == null) {
            return null;
          }
          List<MemberKey> old = new ArrayList<>();
          for (Object o : d.getJsonArray("oldE2eKeys", new JsonArray())) {
            if (o instanceof JsonObject) {
              old.add(toKey((JsonObject) o));
            }
          }
          return new MemberKeys(toKey(d.getJsonObject("e2eKey")), old);
        })
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> setKey(String rid, String uid, MemberKey key) {
    return memberKeys(rid, uid).compose(mk -> {
      JsonObject update = new JsonObject().put("$set", new JsonObject().put("e2eKey", fromKey(key)));
      if (mk != null && mk.current() != null && !mk.current().kid().equals(key.kid())) {
        update.put("$push", new JsonObject().put("oldE2eKeys", fromKey(mk.current())));
      }
      return mongo.updateCollection(MongoCollections.SUBSCRIPTIONS, member(rid, uid), update);
    }).<Void>mapEmpty().recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> retire(String rid, String kid) {
    return mongo.find(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", rid)).compose(subs -> {
      List<BulkOperation> ops = new ArrayList<>();
      for (JsonObject s : subs) {
        JsonObject current = s.getJsonObject("e2eKey");
        if (current != null && kid.equals(current.getString("kid"))) {
          ops.add(BulkOperation.createUpdate(member(rid, s.getString("uid")), new JsonObject()
              .put("$push", new JsonObject().put("oldE2eKeys", current))
              .put("$set", new JsonObject().putNull("e2eKey"))));
        }
      }
      return ops.isEmpty() ? Future.succeededFuture() : mongo.bulkWrite(MongoCollections.SUBSCRIPTIONS, ops).mapEmpty();
    }).<Void>mapEmpty().recover(StoreErrors::unavailable);
  }

  private static JsonObject member(String rid, String uid) {
    return new JsonObject().put("rid", rid).put("uid", uid);
  }

  private static JsonObject fromKey(MemberKey k) {
    return new JsonObject().put("kid", k.kid()).put("alg", k.alg()).put("ct", k.ct());
  }

  private static MemberKey toKey(JsonObject o) {
    return o == null ? null : new MemberKey(o.getString("kid"), o.getString("alg"), o.getString("ct"));
  }
}
