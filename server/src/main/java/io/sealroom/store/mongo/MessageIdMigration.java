package io.sealroom.store.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's {@code _id} is its "rid:seq" key ({@link MongoMessageStore#seqKey}): the primary key
 * keeps (room, seq) unique and answers reads by seq, where earlier versions kept a random
 * {@code _id} and the key in an {@code rs} field with a unique index of its own (one more index to
 * maintain per insert, the costliest part of storing a message in the embedded store). The random
 * id stays as {@code mid}.
 *
 * <p>A data directory or database from before is rewritten once at start, before the node serves,
 * while its old {@code uniq_rs} index exists: that index is dropped last, so a start interrupted
 * midway does the rest next time. Each message is copied first and the old document deleted
 * after, so none is ever missing; the (uid, cid) index is dropped meanwhile (copy and original
 * share their cid) and made again by {@link Indexes#ensure}. Every node of a cluster must be
 * stopped for this upgrade: an older node would still write the old shape.
 */
public final class MessageIdMigration {
  static final String OLD_INDEX = "uniq_rs";
  private static final int BATCH = 500;

  private MessageIdMigration() {
  }

  /** Rewrites messages of the old shape, if the old index says there may be any. Answers how many. */
  public static Future<Long> migrate(MongoClient mongo) {
    return mongo.listIndexes(MongoCollections.MESSAGES)
        .compose(indexes -> {
          boolean old = indexes.stream().anyMatch(i -> OLD_INDEX.equals(((JsonObject) i).getString("name")));
          if (!old) {
            return Future.succeededFuture(0L);
          }
          return dropIfPresent(mongo, "uniq_uid_cid")
              .compose(v -> batches(mongo, 0))
              .compose(n -> mongo.dropIndex(MongoCollections.MESSAGES, OLD_INDEX).map(n));
        });
  }

  private static Future<Long> batches(MongoClient mongo, long done) {
    JsonObject oldShape = new JsonObject().put("rs", new JsonObject().put("$exists", true));
    return mongo.findWithOptions(MongoCollections.MESSAGES, oldShape, new FindOptions().setLimit(BATCH))
        .compose(docs -> {
          if (docs.isEmpty()) {
            return Future.succeededFuture(done);
          }
          List<BulkOperation> copies = new ArrayList<>(docs.size());
          JsonArray oldIds = new JsonArray();
          for (JsonObject d : docs) {
            copies.add(BulkOperation.createInsert(newShape(d)));
            oldIds.add(d.getValue("_id"));
          }
          return mongo.bulkWriteWithOptions(MongoCollections.MESSAGES, copies, new BulkWriteOptions(false))
              .<Void>mapEmpty()
              .recover(MessageIdMigration::copiedBefore)
              .compose(v -> mongo.removeDocuments(MongoCollections.MESSAGES,
                  new JsonObject().put("_id", new JsonObject().put("$in", oldIds))))
              .compose(v -> batches(mongo, done + docs.size()));
        });
  }

  /** The document in the current shape: _id "rid:seq", the random id as mid, no rs. */
  static JsonObject newShape(JsonObject old) {
    JsonObject d = old.copy();
    d.put("_id", old.getString("rs"));
    d.put("mid", old.getValue("_id"));
    d.remove("rs");
    return d;
  }

  /** Copies made by an earlier, interrupted start are already there: only duplicate keys are fine. */
  private static Future<Void> copiedBefore(Throwable t) {
    return StoreErrors.onlyDuplicateKeys(t) ? Future.succeededFuture() : Future.failedFuture(t);
  }

  private static Future<Void> dropIfPresent(MongoClient mongo, String name) {
    return mongo.dropIndex(MongoCollections.MESSAGES, name).recover(t -> Future.succeededFuture());
  }
}
