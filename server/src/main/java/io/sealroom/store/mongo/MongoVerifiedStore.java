package io.sealroom.store.mongo;

import io.sealroom.keys.VerifiedStore;
import io.sealroom.store.VerifiedDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * {@link VerifiedStore} on the users collection's {@code verified} field: a write is one update
 * conditional on the revision read, so of two devices writing at once exactly one lands.
 */
public final class MongoVerifiedStore implements VerifiedStore {
  private static final JsonObject FIELDS = new JsonObject().put(VerifiedDocs.FIELD, 1);
  private final MongoClient mongo;

  public MongoVerifiedStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Stored> get(String uid) {
    return mongo.findOne(MongoCollections.USERS, new JsonObject().put("_id", uid), FIELDS)
        .map(VerifiedDocs::stored)
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Written> put(String uid, long expectedRev, JsonObject blob) {
    String revField = VerifiedDocs.FIELD + ".rev";
    JsonObject q = new JsonObject().put("_id", uid);
    if (expectedRev == 0) {
      q.put("$or", new JsonArray().add(new JsonObject().put(revField, 0L))
          .add(new JsonObject().put(VerifiedDocs.FIELD, new JsonObject().put("$exists", false))));
    } else {
      q.put(revField, expectedRev);
    }
    JsonObject set = new JsonObject().put("$set", new JsonObject()
        .put(VerifiedDocs.FIELD, VerifiedDocs.doc(expectedRev + 1, blob.copy())));
    return mongo.updateCollection(MongoCollections.USERS, q, set)
        .compose(r -> r != null && r.getDocMatched() == 1
            ? Future.succeededFuture(new Written(true, expectedRev + 1))
            : get(uid).map(s -> new Written(false, s.rev())))
        .recover(StoreErrors::unavailable);
  }
}
