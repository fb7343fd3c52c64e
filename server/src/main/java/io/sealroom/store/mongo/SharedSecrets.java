package io.sealroom.store.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.function.Supplier;

/**
 * Secrets every node of a cluster must share, kept in the shared store (collection
 * {@code settings}): the first node to start writes one, the unique _id makes it the only one,
 * and every node (this one included) then uses the stored value.
 */
public final class SharedSecrets {
  static final String SETTINGS = "settings";

  private final MongoClient mongo;

  public SharedSecrets(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The stored value of {@code id}, or {@code candidate}'s value once it is stored (first writer wins). */
  public Future<String> getOrCreate(String id, Supplier<String> candidate) {
    JsonObject byId = new JsonObject().put("_id", id);
    return mongo.findOne(SETTINGS, byId, null).compose(found -> {
      if (found != null) {
        return Future.succeededFuture(found.getString("value"));
      }
      String mine = candidate.get();
      return mongo.insert(SETTINGS, byId.copy().put("value", mine).put("createdAt", System.currentTimeMillis()))
          .map(mine)
          .recover(t -> StoreErrors.isDuplicateKey(t)
              ? mongo.findOne(SETTINGS, byId, null).map(other -> other.getString("value"))
              : Future.failedFuture(t));
    });
  }
}
