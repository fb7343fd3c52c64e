package io.sealroom.store.mongo;

import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.Merkle;
import io.sealroom.kt.NodeId;
import io.sealroom.keys.KeyVersion;
import io.sealroom.store.KeyVersionDocs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
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
 *   <li>{@code kt_nodes {_id: "level:index", h}}: complete subtrees (level 0: leaf hashes);</li>
 *   <li>{@code kt_state {_id: "size", n}}: how many leaves have their nodes stored.</li>
 * </ul>
 * An append reads the size n. If leaf n exists (another node is appending it, or crashed half
 * way), it finishes that append (its nodes, then the size) and tries again; otherwise it inserts
 * leaf n: a duplicate _id means another node took n (try again at n + 1), a duplicate key means
 * the version is logged (its index is the answer). Nodes are deterministic and written with
 * idempotent upserts, and the size moves (with $max) only after the leaf's nodes are stored: no
 * reader sees a size whose nodes are missing, and the next appender finishes a half-done append.
 * A node appends one version at a time (see {@link #append}). Writes are as durable as the
 * connection's write concern makes every acknowledged write.
 */
public final class MongoKtStore implements KtStore {
  static final String LEAVES = "kt_leaves";
  static final String NODES = "kt_nodes";
  static final String STATE = "kt_state";
  static final String LOG_KEY_SETTING = "kt-ed25519";
  /** Each attempt loses only to an append that succeeded; this bounds a pathological race. */
  private static final int MAX_ATTEMPTS = 10_000;
  private static final JsonObject SIZE_ID = new JsonObject().put("_id", "size");
  private static final int PAGE = 1000;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final MongoClient mongo;
  /** Completes when this node's last queued append is done. */
  private Future<Void> tail = Future.succeededFuture();

  public MongoKtStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /**
   * Appends of this node run one at a time, in call order: nodes race only each other for an
   * index (a few contenders), not every concurrent upload of the cluster, and a node's uploads
   * are logged in the order they came.
   */
  @Override
  public Future<Long> append(String key, String leaf) {
    Context caller = Vertx.currentContext();
    Promise<Long> answer = Promise.promise();
    Promise<Void> done = Promise.promise();
    Future<Void> before;
    synchronized (this) {
      before = tail;
      tail = done.future();
    }
    before.onComplete(ignored -> attempt(key, leaf, MAX_ATTEMPTS).recover(StoreErrors::unavailable).onComplete(ar -> {
      done.complete();
      if (caller == null) {
        answer.handle(ar);
      } else {
        caller.runOnContext(v -> answer.handle(ar));
      }
    }));
    return answer.future();
  }

  private Future<Long> attempt(String key, String leaf, int attemptsLeft) {
    if (attemptsLeft == 0) {
      return Future.failedFuture(new IllegalStateException("the log append lost " + MAX_ATTEMPTS + " races"));
    }
    return leafByKey(key).compose(found -> {
      if (found != null) {
        long i = found.getLong("_id");
        // logged; finished too unless its appender stopped half way
        return size().compose(n -> i < n ? Future.succeededFuture(i) : finish(i, hashOf(found)).map(i));
      }
      return size().compose(n -> mongo.findOne(LEAVES, new JsonObject().put("_id", n), null).compose(taken -> {
        if (taken != null) {
          return finish(n, hashOf(taken)).compose(v -> attempt(key, leaf, attemptsLeft - 1));
        }
        byte[] h = Merkle.leafHash(leaf);
        JsonObject doc = new JsonObject().put("_id", n).put("key", key).put("leaf", leaf).put("h", B64.encodeToString(h));
        return mongo.insert(LEAVES, doc)
            .compose(id -> finish(n, h).map(n))
            .recover(t -> StoreErrors.isDuplicateKey(t) ? attempt(key, leaf, attemptsLeft - 1) : Future.failedFuture(t));
      }));
    });
  }

  /** Stores the nodes leaf i completes, then moves the size past it: idempotent, so anyone may finish anyone's append. */
  private Future<Void> finish(long i, byte[] leafHash) {
    return nodes(Merkle.appendReads(i)).compose(siblings -> {
      Map<NodeId, byte[]> done = Merkle.appendNodes(i, leafHash, Merkle.fetched(siblings));
      List<BulkOperation> ops = new ArrayList<>(done.size());
      done.forEach((id, h) -> ops.add(BulkOperation.createUpdate(new JsonObject().put("_id", id.toString()),
          new JsonObject().put("$set", new JsonObject().put("h", B64.encodeToString(h)))).setUpsert(true)));
      return mongo.bulkWriteWithOptions(NODES, ops, new BulkWriteOptions().setOrdered(false))
          .<Void>mapEmpty()
          // a node upserted by two finishers at once: the other wrote the same bytes
          .recover(t -> StoreErrors.onlyDuplicateKeys(t) ? Future.succeededFuture() : Future.failedFuture(t));
    }).compose(v -> raiseSize(i + 1, true));
  }

  private Future<Void> raiseSize(long n, boolean retryOnRace) {
    return mongo.updateCollectionWithOptions(STATE, SIZE_ID, new JsonObject().put("$max", new JsonObject().put("n", n)),
            new UpdateOptions().setUpsert(true))
        .<Void>mapEmpty()
        // two first upserts at once: the loser raises the now existing document
        .recover(t -> retryOnRace && StoreErrors.isDuplicateKey(t) ? raiseSize(n, false) : Future.failedFuture(t));
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
    return mongo.findOne(STATE, SIZE_ID, null).map(d -> d == null ? 0L : d.getLong("n", 0L))
        .recover(StoreErrors::unavailable);
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
    }).recover(StoreErrors::unavailable);
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

  private static byte[] hashOf(JsonObject leafDoc) {
    return UNB64.decode(leafDoc.getString("h"));
  }
}
