package io.sealroom.store.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

/**
 * Creates the indexes at start. The unique ones carry correctness (usernames, one membership per
 * user and room, one message per (user, cid), one logged key version per (user, ukid), one
 * GridFS chunk per (blob, n); one message per (room, seq) is the primary key, "rid:seq");
 * creating an existing index is a no-op, so this runs on every start. Messages of the shape
 * before that key are rewritten first ({@link MessageIdMigration}).
 */
public final class Indexes {
  private Indexes() {
  }

  public static Future<Void> ensure(MongoClient mongo, boolean embedded) {
    return MessageIdMigration.migrate(mongo).compose(migrated -> create(mongo, embedded));
  }

  private static Future<Void> create(MongoClient mongo, boolean embedded) {
    // the embedded server uses an index only for a query on exactly its keys: these serve the
    // conditional updates (a room's key id, a user's key upload). Every index costs each insert
    // there, so messages get only what it uses: the "rid:seq" _id keeps (rid, seq) unique and
    // answers reads; MongoDB also gets (rid, seq), which it can scan in order.
    Future<Void> extra = embedded
        ? Future.all(
            unique(mongo, MongoCollections.ROOMS, new JsonObject().put("_id", 1).put("e2eKeyId", 1), "by_id_kid"),
            unique(mongo, MongoCollections.USERS, new JsonObject().put("_id", 1).put("e2eFp", 1), "by_id_fp"),
            // a file's claim ({_id, cid: null}) and its removal while not attached ({_id, attached: false})
            unique(mongo, MongoCollections.FILES, new JsonObject().put("_id", 1).put("cid", 1), "by_id_cid"),
            unique(mongo, MongoCollections.FILES, new JsonObject().put("_id", 1).put("attached", 1), "by_id_attached"),
            // left by earlier versions in existing data directories, and no longer used
            dropIfPresent(mongo, MongoCollections.MESSAGES, "by_id_seq"),
            dropIfPresent(mongo, MongoCollections.MESSAGES, "uniq_rid_seq")).mapEmpty()
        : unique(mongo, MongoCollections.MESSAGES, new JsonObject().put("rid", 1).put("seq", 1), "uniq_rid_seq");
    return Future.all(java.util.List.of(extra,
        unique(mongo, MongoCollections.USERS, new JsonObject().put("username", 1), "uniq_username"),
        unique(mongo, MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", 1).put("uid", 1), "uniq_rid_uid"),
        plain(mongo, MongoCollections.SUBSCRIPTIONS, new JsonObject().put("uid", 1), "by_uid"),
        unique(mongo, MongoCollections.MESSAGES, new JsonObject().put("uid", 1).put("cid", 1), "uniq_uid_cid"),
        // the key-transparency log holds each key version once
        unique(mongo, MongoKtStore.LEAVES, new JsonObject().put("key", 1), "uniq_kt_key"),
        mongo.createIndexWithOptions(MongoCollections.ROOMS, new JsonObject().put("dmKey", 1),
            new IndexOptions().name("uniq_dm_key").unique(true).sparse(true)),
        // uploads never attached, oldest first (the collection of orphans); the embedded server scans
        plain(mongo, MongoCollections.FILES, new JsonObject().put("attached", 1).put("createdAt", 1).put("_id", 1),
            "by_attached_created"),
        // GridFS's own indexes, under the names its drivers give them: a chunk is read and deleted by (files_id, n)
        unique(mongo, GridFsBlobs.CHUNKS, new JsonObject().put("files_id", 1).put("n", 1), "files_id_1_n_1"),
        plain(mongo, GridFsBlobs.FILES, new JsonObject().put("filename", 1).put("uploadDate", 1),
            "filename_1_uploadDate_1")))
        .mapEmpty();
  }

  private static Future<Void> unique(MongoClient mongo, String coll, JsonObject keys, String name) {
    return mongo.createIndexWithOptions(coll, keys, new IndexOptions().name(name).unique(true));
  }

  private static Future<Void> dropIfPresent(MongoClient mongo, String coll, String name) {
    return mongo.dropIndex(coll, name).recover(t -> Future.succeededFuture());
  }

  private static Future<Void> plain(MongoClient mongo, String coll, JsonObject keys, String name) {
    return mongo.createIndexWithOptions(coll, keys, new IndexOptions().name(name));
  }
}
