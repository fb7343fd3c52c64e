package io.sealroom.store.mongo;

import io.sealroom.store.Docs;
import io.sealroom.common.ApiException;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.sealroom.messages.MessageStore.DuplicateAt;
import io.sealroom.messages.MessageStore.FailedAt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@link MessageStore} on MongoDB. Messages are inserted complete, seq included, many per round
 * trip and in order; the unique "rid:seq" _id and (uid, cid) index arbitrate between writers on
 * any node. The room document's {@code seq} is the head, raised with {@code $max} after the
 * inserts. Encrypted messages are stored without any text field, so text search can never match
 * them.
 */
public final class MongoMessageStore implements MessageStore {
  private static final JsonObject SEQ_ONLY = new JsonObject().put("seq", 1);
  private static final int PROBE = 64;
  private final MongoClient mongo;

  public MongoMessageStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Long> head(String rid) {
    return mongo.findOne(MongoCollections.ROOMS, new JsonObject().put("_id", rid), SEQ_ONLY)
        .recover(StoreErrors::unavailable)
        .compose(d -> d == null
            ? Future.failedFuture(ApiException.notFound("room"))
            : probe(rid, d.getLong("seq", 0L)));
  }

  /** The room document's seq may lag the messages (it is raised after they are inserted): look past it. */
  private Future<Long> probe(String rid, long from) {
    FindOptions opts = new FindOptions().setFields(SEQ_ONLY);
    return mongo.findWithOptions(MongoCollections.MESSAGES, bySeqs(rid, from + 1, from + PROBE), opts)
        .recover(StoreErrors::unavailable)
        .compose(docs -> {
          long max = from;
          for (JsonObject d : docs) {
            max = Math.max(max, d.getLong("seq", 0L));
          }
          return max == from ? Future.succeededFuture(from) : probe(rid, max);
        });
  }

  @Override
  public Future<Void> raiseHeads(Map<String, Long> heads) {
    if (heads.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> ops = new ArrayList<>(heads.size());
    heads.forEach((rid, seq) -> ops.add(BulkOperation.createUpdate(new JsonObject().put("_id", rid),
        new JsonObject().put("$max", new JsonObject().put("seq", seq)))));
    return mongo.bulkWriteWithOptions(MongoCollections.ROOMS, ops, new BulkWriteOptions(false))
        .<Void>mapEmpty()
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Integer> insertOrdered(List<Message> batch) {
    List<BulkOperation> ops = new ArrayList<>(batch.size());
    for (Message m : batch) {
      ops.add(BulkOperation.createInsert(toDoc(m)));
    }
    return mongo.bulkWriteWithOptions(MongoCollections.MESSAGES, ops, new BulkWriteOptions(true))
        .map(r -> batch.size())
        .recover(t -> {
          MongoBulkWriteException bulk = bulkFailure(t);
          if (bulk != null && !bulk.getWriteErrors().isEmpty()) {
            BulkWriteError first = bulk.getWriteErrors().get(0);
            if (first.getCode() == StoreErrors.DUPLICATE_KEY) {
              return Future.failedFuture(new DuplicateAt(first.getIndex()));
            }
            return Future.failedFuture(new FailedAt(first.getIndex(), t));
          }
          return Future.failedFuture(new FailedAt(-1, t));
        });
  }

  private static MongoBulkWriteException bulkFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MongoBulkWriteException b) {
        return b;
      }
    }
    return null;
  }

  static JsonObject toDoc(Message m) {
    return Docs.message(m);
  }

  @Override
  public Future<Message> findByCid(String uid, String cid) {
    return mongo.findOne(MongoCollections.MESSAGES, new JsonObject().put("uid", uid).put("cid", cid), null)
        .map(d -> d == null ? null : toMessage(d))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<List<Message>> range(String rid, long from, long to) {
    if (to - from + 1 > MAX_RANGE) {
      throw new IllegalArgumentException("range over " + MAX_RANGE + " seqs");
    }
    FindOptions opts = new FindOptions().setSort(new JsonObject().put("seq", 1));
    return mongo.findWithOptions(MongoCollections.MESSAGES, bySeqs(rid, from, to), opts)
        .map(docs -> docs.stream().map(MongoMessageStore::toMessage).toList())
        .recover(StoreErrors::unavailable);
  }

  /**
   * "rid:seq", a message's _id. The embedded store answers only exact matches on an index's whole
   * key from the index (no range scans), so history pages ask for their seqs one by one through
   * the primary key; MongoDB answers the same query as well. The unique primary key is also what
   * makes a seq taken: an insert of a second message with it fails with a duplicate key.
   */
  static String seqKey(String rid, long seq) {
    return rid + ":" + seq;
  }

  /** The query for the room's messages with from &lt;= seq &lt;= to, by their exact "rid:seq" keys. */
  private static JsonObject bySeqs(String rid, long from, long to) {
    JsonArray keys = new JsonArray();
    for (long seq = from; seq <= to; seq++) {
      keys.add(seqKey(rid, seq));
    }
    return new JsonObject().put("_id", new JsonObject().put("$in", keys));
  }

  @Override
  public Future<List<Message>> searchText(Collection<String> rids, String literal, int limit) {
    JsonObject q = new JsonObject()
        .put("rid", new JsonObject().put("$in", new JsonArray(new ArrayList<>(rids))))
        .put("text", new JsonObject().put("$regex", escapeRegex(literal)).put("$options", "i"))
        .put("seq", new JsonObject().put("$gt", 0));
    FindOptions opts = new FindOptions().setSort(new JsonObject().put("ts", -1)).setLimit(limit);
    return mongo.findWithOptions(MongoCollections.MESSAGES, q, opts)
        .map(docs -> docs.stream().map(MongoMessageStore::toMessage).toList())
        .recover(StoreErrors::unavailable);
  }

  /** Escapes regex metacharacters one by one (portable between PCRE and java.util.regex, unlike \\Q..\\E). */
  static String escapeRegex(String literal) {
    StringBuilder sb = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if ("\\^$.|?*+()[]{}-/".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static Message toMessage(JsonObject d) {
    return Docs.toMessage(d);
  }
}
