package io.sealroom.store.mongo;

import io.sealroom.store.Docs;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.RoomType;
import io.sealroom.rooms.Membership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** {@link RoomStore} on MongoDB: rooms and subscriptions collections. */
public final class MongoRoomStore implements RoomStore {
  private final MongoClient mongo;

  public MongoRoomStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Void> insertRoom(Room r) {
    JsonObject doc = Docs.room(r);
    return mongo.insert(MongoCollections.ROOMS, doc).<Void>mapEmpty()
        .recover(t -> StoreErrors.isDuplicateKey(t) ? Future.failedFuture(new DmExists()) : StoreErrors.unavailable(t));
  }

  @Override
  public Future<Room> findRoom(String rid) {
    return findOneRoom(new JsonObject().put("_id", rid));
  }

  @Override
  public Future<Room> findDm(String dmKey) {
    return findOneRoom(new JsonObject().put("dmKey", dmKey));
  }

  @Override
  public Future<List<Room>> findRooms(Collection<String> rids) {
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(rids))));
    return mongo.find(MongoCollections.ROOMS, q)
        .map(docs -> docs.stream().map(MongoRoomStore::toRoom).toList())
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> upsertMemberships(List<Membership> subs) {
    if (subs.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> ops = new ArrayList<>();
    for (Membership s : subs) {
      JsonObject onInsert = new JsonObject()
          .put("_id", s.rid() + ":" + s.uid())
          .put("username", s.username())
          .put("role", s.role().name().toLowerCase(Locale.ROOT))
          .put("joinedAt", s.joinedAt())
          .putNull("e2eKey")
          .put("oldE2eKeys", new JsonArray());
      ops.add(BulkOperation.createUpdate(new JsonObject().put("rid", s.rid()).put("uid", s.uid()),
          new JsonObject().put("$setOnInsert", onInsert)).setUpsert(true));
    }
    return mongo.bulkWrite(MongoCollections.SUBSCRIPTIONS, ops).<Void>mapEmpty()
        // a concurrent upsert of the same membership loses on the unique index: it exists, as asked
        .recover(t -> StoreErrors.isDuplicateKey(t) ? Future.succeededFuture() : StoreErrors.unavailable(t));
  }

  @Override
  public Future<Membership> findMembership(String rid, String uid) {
    return mongo.findOne(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", rid).put("uid", uid), null)
        .map(d -> d == null ? null : toMembership(d))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<List<Membership>> membershipsOfUser(String uid) {
    return findMemberships(new JsonObject().put("uid", uid));
  }

  @Override
  public Future<List<Membership>> membershipsOfRoom(String rid) {
    return findMemberships(new JsonObject().put("rid", rid));
  }

  @Override
  public Future<Boolean> deleteMembership(String rid, String uid) {
    return mongo.removeDocument(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", rid).put("uid", uid))
        .map(r -> r != null && r.getRemovedCount() > 0)
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Room> update(String rid, String name, Boolean encrypted, Boolean rotationDue) {
    JsonObject set = new JsonObject();
    if (name != null) {
      set.put("name", name);
    }
    if (encrypted != null) {
      set.put("encrypted", encrypted);
    }
    if (rotationDue != null) {
      set.put("rotationDue", rotationDue);
    }
    if (set.isEmpty()) {
      return findRoom(rid);
    }
    return mongo.findOneAndUpdateWithOptions(MongoCollections.ROOMS, new JsonObject().put("_id", rid),
            new JsonObject().put("$set", set), new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .map(d -> d == null ? null : toRoom(d))
        .recover(StoreErrors::unavailable);
  }

  private Future<Room> findOneRoom(JsonObject q) {
    return mongo.findOne(MongoCollections.ROOMS, q, null)
        .map(d -> d == null ? null : toRoom(d))
        .recover(StoreErrors::unavailable);
  }

  private Future<List<Membership>> findMemberships(JsonObject q) {
    return mongo.find(MongoCollections.SUBSCRIPTIONS, q)
        .map(docs -> docs.stream().map(MongoRoomStore::toMembership).toList())
        .recover(StoreErrors::unavailable);
  }

  static Room toRoom(JsonObject d) {
    return Docs.toRoom(d);
  }

  private static Membership toMembership(JsonObject d) {
    return Docs.toMembership(d);
  }
}
