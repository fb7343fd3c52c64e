package io.sealroom.store.mongo;

import io.sealroom.store.Docs;
import io.sealroom.store.KeyVersionDocs;
import io.sealroom.keys.KeyVersion;
import java.util.List;
import io.sealroom.keys.KeyStore;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link KeyStore} on the users collection: {@code e2e} holds the keys, {@code e2eFp} the
 * fingerprint of the public key ("" for none), which every upload is conditional on.
 */
public final class MongoKeyStore implements KeyStore {
  private static final JsonObject KEYS_ONLY = new JsonObject().put("e2e", 1);
  private static final JsonObject VERSIONS = new JsonObject().put("e2e", 1).put("e2eFp", 1).put(KeyVersionDocs.FIELD, 1);
  private static final int RESET_ATTEMPTS = 3;
  private final MongoClient mongo;

  public MongoKeyStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<UserKeys> get(String uid) {
    return mongo.findOne(MongoCollections.USERS, new JsonObject().put("_id", uid), KEYS_ONLY)
        .map(d -> d == null ? null : toKeys(d.getJsonObject("e2e")))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Map<String, UserKeys>> getAll(Collection<String> uids) {
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(uids))));
    return mongo.findWithOptions(MongoCollections.USERS, q, new io.vertx.ext.mongo.FindOptions().setFields(KEYS_ONLY))
        .map(docs -> {
          Map<String, UserKeys> out = new HashMap<>();
          for (JsonObject d : docs) {
            UserKeys k = toKeys(d.getJsonObject("e2e"));
            if (k != null) {
              out.put(d.getString("_id"), k);
            }
          }
          return out;
        })
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Boolean> put(String uid, UserKeys k, String expectedFingerprint) {
    JsonObject e2e = Docs.e2e(k);
    JsonObject q = new JsonObject().put("_id", uid).put("e2eFp", expectedFingerprint);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("e2e", e2e).put("e2eFp", k.fingerprint()));
    if (expectedFingerprint.isEmpty()) {
      // a new key set: a new version (a re-wrap of the same keys is not one)
      update.put("$push", new JsonObject().put(KeyVersionDocs.FIELD, KeyVersionDocs.version(k)));
    }
    return mongo.updateCollection(MongoCollections.USERS, q, update)
        .map(r -> r != null && r.getDocMatched() == 1)
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<List<KeyVersion>> versions(String uid) {
    return mongo.findOne(MongoCollections.USERS, new JsonObject().put("_id", uid), VERSIONS)
        .map(KeyVersionDocs::versions)
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> reset(String uid) {
    return endVersion(uid, RESET_ATTEMPTS).compose(v -> clearRoomKeys(uid)).recover(StoreErrors::unavailable);
  }

  /**
   * Ends the current version and removes the keys: conditional on the fingerprint read, so an
   * upload in between is not lost to a stale array (then it reads again).
   */
  private Future<Void> endVersion(String uid, int attempts) {
    return mongo.findOne(MongoCollections.USERS, new JsonObject().put("_id", uid), VERSIONS).compose(d -> {
      if (d == null) {
        return Future.succeededFuture();
      }
      String fp = d.getString("e2eFp", "");
      JsonObject clearUser = new JsonObject()
          .put("$set", new JsonObject().put("e2eFp", "").put(KeyVersionDocs.FIELD,
              KeyVersionDocs.ended(d, System.currentTimeMillis()))
              .putNull(io.sealroom.store.VerifiedDocs.FIELD + ".blob"))
          .put("$unset", new JsonObject().put("e2e", ""))
          // the verified list was sealed to the keys that ended: nobody can read it any more
          .put("$inc", new JsonObject().put(io.sealroom.store.VerifiedDocs.FIELD + ".rev", 1));
      return mongo.updateCollection(MongoCollections.USERS, new JsonObject().put("_id", uid).put("e2eFp", fp), clearUser)
          .compose(r -> r != null && r.getDocMatched() == 1 || attempts <= 1 ? Future.<Void>succeededFuture()
              : endVersion(uid, attempts - 1));
    });
  }

  private Future<Void> clearRoomKeys(String uid) {
    JsonObject clearRooms = new JsonObject().put("$set", new JsonObject().putNull("e2eKey").put("oldE2eKeys", new JsonArray()));
    return mongo.updateCollectionWithOptions(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("uid", uid),
            clearRooms, new io.vertx.ext.mongo.UpdateOptions().setMulti(true))
        .mapEmpty();
  }

  private static UserKeys toKeys(JsonObject e) {
    return Docs.toKeys(e);
  }
}
