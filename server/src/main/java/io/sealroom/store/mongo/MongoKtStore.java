package io.sealroom.store.mongo;

import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.NodeId;
import io.sealroom.keys.KeyVersion;
import io.sealroom.store.KeyVersionDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KtStore} on MongoDB, shared by every node, without transactions:
 * <ul>
 *   <li>{@code kt_leaves {_id: index, key: "uid|ukid" (unique), leaf, h}}: the _id takes each
 *       index once, the unique key logs each version once;</li>
 *   <li>{@code kt_nodes {_id: "level:index", h}}: complete subtrees (level 0: leaf hashes), and
 *       {@code {_id: "size", n}}: how many leaves have their nodes stored.</li>
 * </ul>
 * Appends ({@link MongoKtAppends}) read the size n, finish any leaf stored at n or above
 * (another node's append in progress, or one that stopped half way), and insert new leaves from
 * n: a duplicate _id means another node took that index, a duplicate key that the version is
 * logged. Nodes are deterministic and written with idempotent upserts, and the size moves (with
 * $max) only after the leaves' nodes are stored: no reader sees a size whose nodes are missing,
 * and the next appender finishes a half-done append. Writes are as durable as the connection's
 * write concern makes every acknowledged write.
 */
public final class MongoKtStore implements KtStore {
  static final String LEAVES = "kt_leaves";
  static final String NODES = "kt_nodes";
  static final String LOG_KEY_SETTING = "kt-ed25519";
  /** The size is a document of kt_nodes, so that one ordered bulk write stores nodes and then the size. */
  static final JsonObject SIZE_ID = new JsonObject().put("_id", "size");
  private static final int PAGE = 1000;
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final MongoClient mongo;
  private final MongoKtAppends appends;

  public MongoKtStore(MongoClient mongo) {
    this.mongo = mongo;
    this.appends = new MongoKtAppends(mongo);
  }

  @Override
  public Future<Long> append(String key, String leaf) {
    return appends.append(key, leaf).recover(StoreErrors::unavailable);
  }

  private Future<JsonObject> leafByKey(String key) {
    return mongo.findOne(LEAVES, new JsonObject().put("key", key), null);
  }

  @Override
  public Future<Logged> find(String key) {
    return leafByKey(key).compose(d -> d == null ? Future.<Logged>succeededFuture() : size().map(n -> {
      long i = d.getLong("_id");
      return i < n ? new Logged(i, d.getString("leaf")) : null;
    })).recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Long> size() {
    return size(mongo).recover(StoreErrors::unavailable);
  }

  static Future<Long> size(MongoClient mongo) {
    return mongo.findOne(NODES, SIZE_ID, null).map(d -> d == null ? 0L : d.getLong("n", 0L));
  }

  @Override
  public Future<List<String>> leaves(long start, long end) {
    if (start >= end) {
      return Future.succeededFuture(List.of());
    }
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$gte", start).put("$lt", end));
    return mongo.findWithOptions(LEAVES, q, new FindOptions().setSort(new JsonObject().put("_id", 1))
            .setFields(new JsonObject().put("leaf", 1)).setLimit((int) (end - start)))
        .map(docs -> docs.stream().map(d -> d.getString("leaf")).toList())
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Map<NodeId, byte[]>> nodes(Collection<NodeId> ids) {
    return nodes(mongo, ids).recover(StoreErrors::unavailable);
  }

  /** The stored hashes of these nodes, in one query. */
  static Future<Map<NodeId, byte[]>> nodes(MongoClient mongo, Collection<NodeId> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    Map<String, NodeId> byId = new HashMap<>();
    ids.forEach(id -> byId.put(id.toString(), id));
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(byId.keySet()))));
    return mongo.find(NODES, q).map(docs -> {
      Map<NodeId, byte[]> out = new HashMap<>();
      for (JsonObject d : docs) {
        out.put(byId.get(d.getString("_id")), UNB64.decode(d.getString("h")));
      }
      return out;
    });
  }

  @Override
  public Future<String> logKey(String candidate) {
    return new SharedSecrets(mongo).getOrCreate(LOG_KEY_SETTING, () -> candidate).recover(StoreErrors::unavailable);
  }

  @Override
  public Future<List<KtLeaf>> unlogged() {
    List<KtLeaf> out = new ArrayList<>();
    return usersAfter("", out).map(v -> out).recover(StoreErrors::unavailable);
  }

  /** A page of users (their versions only) after uid, those versions' leaves looked up in one query; then the next page. */
  private Future<Void> usersAfter(String lastUid, List<KtLeaf> out) {
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$gt", lastUid));
    FindOptions page = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE)
        .setFields(new JsonObject().put("e2e", 1).put(KeyVersionDocs.FIELD, 1));
    return mongo.findWithOptions(MongoCollections.USERS, q, page).compose(users -> {
      Map<String, KtLeaf> versions = new HashMap<>();
      for (JsonObject u : users) {
        String uid = u.getString("_id");
        for (KeyVersion kv : KeyVersionDocs.versions(u)) {
          versions.putIfAbsent(KtLeaf.key(uid, kv.ukid()), new KtLeaf(uid, kv.ukid(), kv.createdAt()));
        }
      }
      Future<Void> checked = versions.isEmpty() ? Future.succeededFuture() : mongo.findWithOptions(LEAVES,
              new JsonObject().put("key", new JsonObject().put("$in", new JsonArray(new ArrayList<>(versions.keySet())))),
              new FindOptions().setFields(new JsonObject().put("key", 1)))
          .map(logged -> {
            logged.forEach(d -> versions.remove(d.getString("key")));
            out.addAll(versions.values());
            return null;
          });
      return checked.compose(v -> users.size() < PAGE ? Future.succeededFuture()
          : usersAfter(users.get(users.size() - 1).getString("_id"), out));
    });
  }
}
