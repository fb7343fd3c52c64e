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

  /**
   * Reads the member's current key, then replaces it in one update conditional on that key still
   * being the current one (its whole value), so that a concurrent change is never overwritten
   * and an earlier key goes to the history once; a lost race reads again.
   */
  @Override
  public Future<Void> setKey(String rid, String uid, MemberKey key) {
    return setKey(rid, uid, key, MAX_ATTEMPTS).recover(StoreErrors::unavailable);
  }

  private Future<Void> setKey(String rid, String uid, MemberKey key, int attempts) {
    return mongo.findOne(MongoCollections.SUBSCRIPTIONS, member(rid, uid), null).compose(d -> {
      if (d == null) {
        return Future.succeededFuture();
      }
      JsonObject current = d.getJsonObject("e2eKey");
      JsonObject update = new JsonObject().put("$set", new JsonObject().put("e2eKey", fromKey(key)));
      if (current != null && !key.kid().equals(current.getString("kid"))) {
        update.put("$push", new JsonObject().put("oldE2eKeys", current));
      }
      JsonObject unchanged = member(rid, uid).put("e2eKey", current);
      return mongo.updateCollection(MongoCollections.SUBSCRIPTIONS, unchanged, update).compose(r -> {
        if (r != null && r.getDocMatched() == 1) {
          return Future.succeededFuture();
        }
        return attempts > 1 ? setKey(rid, uid, key, attempts - 1) : Future.failedFuture(new IllegalStateException("contended"));
      });
    });
  }

  /** Each member's key of that kid moves to the history, in an update conditional on it still being current. */
  @Override
  public Future<Void> retire(String rid, String kid) {
    return mongo.find(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", rid)).compose(subs -> {
      List<BulkOperation> ops = new ArrayList<>();
      for (JsonObject s : subs) {
        JsonObject current = s.getJsonObject("e2eKey");
        if (current != null && kid.equals(current.getString("kid"))) {
          ops.add(BulkOperation.createUpdate(member(rid, s.getString("uid")).put("e2eKey", current), new JsonObject()
              .put("$push", new JsonObject().put("oldE2eKeys", current))
              .put("$set", new JsonObject().putNull("e2eKey"))));
        }
      }
      return ops.isEmpty() ? Future.succeededFuture() : mongo.bulkWrite(MongoCollections.SUBSCRIPTIONS, ops).mapEmpty();
    }).<Void>mapEmpty().recover(StoreErrors::unavailable);
  }

  /** Concurrent changes of one member's key that one setKey may lose to before it fails unavailable. */
  private static final int MAX_ATTEMPTS = 64;

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
