package io.sealroom.store.mongo;

import io.sealroom.kt.Merkle;
import io.sealroom.kt.NodeId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The appends of one node to the shared MongoDB log (see {@link MongoKtStore} for the layout).
 *
 * <p>A node runs one batch at a time: what queued meanwhile (up to {@link #BATCH}) goes into the
 * next, in call order. A batch reads the size n; finishes any leaves at n or above first (another
 * node's append in progress, or one that stopped half way: their nodes, then the size, all
 * idempotent); then inserts its new leaves at n, n + 1, ... in one ordered bulk write. Of two
 * nodes inserting at n, one gets n and the other's bulk stops at its first leaf, so indices are
 * taken once and without a gap; a leaf refused because its key is logged already is answered
 * with that index. The inserted leaves are then finished (nodes upserted, then the size raised
 * with $max, in one ordered bulk write), and the rest of the batch tries again. So under
 * contention nodes race each other, a few at a time, not every upload of the cluster, and a
 * crowd of uploads costs a few round trips per batch rather than per upload.
 */
final class MongoKtAppends {
  static final int BATCH = 256;
  /** Each round loses only to a batch that made progress; this bounds a pathological race. */
  private static final int MAX_ROUNDS = 10_000;
  private static final int SCAN = 1000;
  private static final JsonObject SIZE_ID = MongoKtStore.SIZE_ID;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private record Pending(String key, String leaf, Promise<Long> answer, Context caller) {
  }

  private final MongoClient mongo;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean running;

  MongoKtAppends(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Long> append(String key, String leaf) {
    Pending p = new Pending(key, leaf, Promise.promise(), Vertx.currentContext());
    boolean start;
    synchronized (this) {
      queue.add(p);
      start = !running;
      running = true;
    }
    if (start) {
      next();
    }
    return p.answer().future();
  }

  /** Runs the next batch, or stops when none is waiting. */
  private void next() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && batch.size() < BATCH) {
        batch.add(queue.poll());
      }
      if (batch.isEmpty()) {
        running = false;
        return;
      }
    }
    Map<String, String> leaves = new LinkedHashMap<>();
    batch.forEach(p -> leaves.putIfAbsent(p.key(), p.leaf()));
    Map<String, Long> indices = new HashMap<>();
    round(leaves, indices, MAX_ROUNDS).onComplete(ar -> {
      for (Pending p : batch) {
        Long i = indices.get(p.key());
        Runnable answer = ar.succeeded() && i != null ? () -> p.answer().complete(i)
            : () -> p.answer().fail(ar.failed() ? ar.cause() : new IllegalStateException("not appended"));
        if (p.caller() == null) {
          answer.run();
        } else {
          p.caller().runOnContext(v -> answer.run());
        }
      }
      next();
    });
  }

  /**
   * One round: answers the keys logged already (not looked up in the first round: a new
   * version is the common case, and the insert refuses a logged key anyway), finishes others'
   * leaves, inserts and finishes what it can, and goes again for the rest.
   */
  private Future<Void> round(Map<String, String> todo, Map<String, Long> indices, int roundsLeft) {
    if (todo.isEmpty()) {
      return Future.succeededFuture();
    }
    if (roundsLeft == 0) {
      return Future.failedFuture(new IllegalStateException("the log append lost " + MAX_ROUNDS + " races"));
    }
    Future<Void> known = roundsLeft == MAX_ROUNDS ? Future.succeededFuture() : logged(todo, indices);
    return known.compose(v -> size())
        .compose(n -> finishFrom(n).compose(end -> {
          // every leaf below end now has its nodes and is counted in the size
          if (indices.values().stream().anyMatch(i -> i >= end)) {
            return Future.failedFuture(new IllegalStateException("a logged leaf is beyond the log's end"));
          }
          return end > n || todo.isEmpty() ? Future.succeededFuture() : insertAt(n, todo, indices);
        }))
        .compose(v -> round(todo, indices, roundsLeft - 1));
  }

  /** Moves the keys that are logged from todo to indices. */
  private Future<Void> logged(Map<String, String> todo, Map<String, Long> indices) {
    JsonArray keys = new JsonArray(new ArrayList<>(todo.keySet()));
    JsonObject byKey = new JsonObject().put("key", new JsonObject().put("$in", keys));
    FindOptions keyAndIndex = new FindOptions().setFields(new JsonObject().put("key", 1));
    return mongo.findWithOptions(MongoKtStore.LEAVES, byKey, keyAndIndex)
        .map(found -> {
          found.forEach(d -> {
            indices.put(d.getString("key"), d.getLong("_id"));
            todo.remove(d.getString("key"));
          });
          return null;
        });
  }

  /** Inserts the leaves at n, n + 1, ... until the first refusal, then finishes those inserted. */
  private Future<Void> insertAt(long n, Map<String, String> todo, Map<String, Long> indices) {
    List<String> keys = new ArrayList<>(todo.keySet());
    List<BulkOperation> inserts = new ArrayList<>(keys.size());
    List<JsonObject> docs = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      String leaf = todo.get(keys.get(i));
      JsonObject doc = new JsonObject().put("_id", n + i).put("key", keys.get(i)).put("leaf", leaf)
          .put("h", B64.encodeToString(Merkle.leafHash(leaf)));
      docs.add(doc);
      inserts.add(BulkOperation.createInsert(doc.copy()));
    }
    return mongo.bulkWrite(MongoKtStore.LEAVES, inserts).map(r -> keys.size())
        .recover(t -> {
          int stored = firstFailure(t);
          return stored < 0 ? Future.failedFuture(t) : Future.succeededFuture(stored);
        })
        .compose(stored -> {
          if (stored == 0) {
            return Future.succeededFuture();
          }
          for (int i = 0; i < stored; i++) {
            indices.put(keys.get(i), n + i);
            todo.remove(keys.get(i));
          }
          return finish(docs.subList(0, stored)).mapEmpty();
        });
  }

  /** How many inserts of an ordered bulk landed before a duplicate stopped it; -1 for any other failure. */
  private static int firstFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.mongodb.MongoBulkWriteException b && !b.getWriteErrors().isEmpty()
          && b.getWriteErrors().get(0).getCode() == StoreErrors.DUPLICATE_KEY) {
        return b.getWriteErrors().get(0).getIndex();
      }
    }
    return StoreErrors.isDuplicateKey(t) ? 0 : -1;
  }

  /** Finishes the leaves stored at n and above (contiguous from n); answers the size after them. */
  private Future<Long> finishFrom(long n) {
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$gte", n));
    return mongo.findWithOptions(MongoKtStore.LEAVES, q, new FindOptions().setSort(new JsonObject().put("_id", 1))
        .setLimit(SCAN)).compose(found -> {
          List<JsonObject> run = new ArrayList<>();
          for (JsonObject d : found) {
            if (d.getLong("_id") != n + run.size()) {
              break;
            }
            run.add(d);
          }
          return run.isEmpty() ? Future.succeededFuture(n) : finish(run).compose(end -> finishFrom(end));
        });
  }

  /**
   * Stores the nodes these leaves complete (contiguous, the first at the size or below it), then
   * raises the size past them; answers that size. Idempotent: anyone may finish anyone's leaves.
   */
  private Future<Long> finish(List<JsonObject> leaves) {
    long first = leaves.get(0).getLong("_id");
    long end = first + leaves.size();
    Set<NodeId> reads = new HashSet<>();
    for (long i = first; i < end; i++) {
      reads.addAll(Merkle.appendReads(i));
    }
    return MongoKtStore.nodes(mongo, reads).compose(known -> {
      Map<NodeId, byte[]> nodes = new HashMap<>(known);
      Map<NodeId, byte[]> done = new LinkedHashMap<>();
      for (JsonObject leaf : leaves) {
        Map<NodeId, byte[]> made = Merkle.appendNodes(leaf.getLong("_id"), UNB64.decode(leaf.getString("h")),
            Merkle.fetched(nodes));
        nodes.putAll(made);
        done.putAll(made);
      }
      List<BulkOperation> ops = new ArrayList<>(done.size() + 1);
      done.forEach((id, h) -> ops.add(BulkOperation.createUpdate(new JsonObject().put("_id", id.toString()),
          new JsonObject().put("$set", new JsonObject().put("h", B64.encodeToString(h)))).setUpsert(true)));
      // ordered: the size moves only once every node before it is stored (one round trip, one commit)
      ops.add(BulkOperation.createUpdate(SIZE_ID, new JsonObject().put("$max", new JsonObject().put("n", end)))
          .setUpsert(true));
      return writeNodes(ops, 3);
    }).map(end);
  }

  /**
   * Writes the nodes and then the size. Two finishers upserting the same new node at once: one
   * gets a duplicate key and the ordered bulk stops there; the node has the same bytes either
   * way, so the bulk is written again.
   */
  private Future<Void> writeNodes(List<BulkOperation> ops, int attempts) {
    return mongo.bulkWrite(MongoKtStore.NODES, ops).<Void>mapEmpty()
        .recover(t -> attempts > 1 && StoreErrors.isDuplicateKey(t) ? writeNodes(ops, attempts - 1)
            : Future.failedFuture(t));
  }

  private Future<Long> size() {
    return MongoKtStore.size(mongo);
  }
}
