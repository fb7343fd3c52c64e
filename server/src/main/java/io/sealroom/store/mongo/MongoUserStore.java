package io.sealroom.store.mongo;

import io.sealroom.store.Docs;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link UserStore} on MongoDB; the unique username index turns a race into username_taken. */
public final class MongoUserStore implements UserStore {
  private final MongoClient mongo;

  public MongoUserStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Void> insert(User u) {
    JsonObject doc = Docs.user(u);
    return mongo.insert(MongoCollections.USERS, doc).<Void>mapEmpty().recover(t -> StoreErrors.isDuplicateKey(t)
        ? Future.failedFuture(new ApiException(ErrorCode.USERNAME_TAKEN, "that username is taken"))
        : StoreErrors.unavailable(t));
  }

  @Override
  public Future<User> findByUsername(String username) {
    return findOne(new JsonObject().put("username", username));
  }

  @Override
  public Future<User> findById(String id) {
    return findOne(new JsonObject().put("_id", id));
  }

  @Override
  public Future<List<User>> findByIds(Collection<String> ids) {
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(ids))));
    return mongo.find(MongoCollections.USERS, q)
        .map(docs -> docs.stream().map(MongoUserStore::toUser).toList())
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> updatePasswordHash(String id, String expected, String hash) {
    return mongo.updateCollection(MongoCollections.USERS, new JsonObject().put("_id", id).put("passwordHash", expected),
            new JsonObject().put("$set", new JsonObject().put("passwordHash", hash)))
        .<Void>mapEmpty()
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<SessionCutoff> sessionCutoff(String id) {
    return mongo.findOne(MongoCollections.USERS, new JsonObject().put("_id", id),
            new JsonObject().put("tokensValidAfter", 1).put("keepSession", 1))
        .map(d -> d == null ? new SessionCutoff(0, "")
            : new SessionCutoff(d.getLong("tokensValidAfter", 0L), d.getString("keepSession", "")))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Void> endSessions(String id, SessionCutoff cutoff) {
    return mongo.updateCollection(MongoCollections.USERS, new JsonObject().put("_id", id),
            new JsonObject().put("$set", new JsonObject().put("tokensValidAfter", cutoff.validAfterMs())
                .put("keepSession", cutoff.keepSid() == null ? "" : cutoff.keepSid())))
        .<Void>mapEmpty()
        .recover(StoreErrors::unavailable);
  }

  private Future<User> findOne(JsonObject q) {
    return mongo.findOne(MongoCollections.USERS, q, null)
        .map(doc -> doc == null ? null : toUser(doc))
        .recover(StoreErrors::unavailable);
  }

  private static User toUser(JsonObject d) {
    return Docs.toUser(d);
  }
}
