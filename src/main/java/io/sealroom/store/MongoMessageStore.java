package io.sealroom.store;

import io.sealroom.common.ApiException;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * {@link MessageStore} on MongoDB. The sequence counter is the room document's {@code seq},
 * incremented with one atomic findOneAndUpdate: safe across nodes. Encrypted messages are stored
 * without any text field, so text search can never match them.
 */
public final class MongoMessageStore implements MessageStore {
  private static final JsonObject SEQ_ONLY = new JsonObject().put("seq", 1);
  private final MongoClient mongo;

  public MongoMessageStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  @Override
  public Future<Long> allocateSeq(String rid) {
    return mongo.findOneAndUpdateWithOptions(io.sealroom.store.Collections.ROOMS, new JsonObject().put("_id", rid),
            new JsonObject().put("$inc", new JsonObject().put("seq", 1L)),
            new FindOptions().setFields(SEQ_ONLY), new UpdateOptions().setReturningNewDocument(true))
        .recover(StoreErrors::unavailable)
        .compose(d -> d == null
            ? Future.failedFuture(ApiException.notFound("room"))
            : Future.succeededFuture(d.getLong("seq")));
  }

  @Override
  public Future<Void> claim(Message m) {
    JsonObject doc = new JsonObject()
        .put("_id", m.id())
        .put("rid", m.rid())
        .put("seq", pendingSeq(m.id()))
        .put("uid", m.uid())
        .put("username", m.username())
        .put("ts", m.ts())
        .put("cid", m.cid());
    if (m.e2e() != null) {
      JsonObject e2e = new JsonObject().put("kid", m.e2e().kid()).put("iv", m.e2e().iv()).put("ct", m.e2e().ct());
      if (m.e2e().sig() != null) {
        e2e.put("sig", m.e2e().sig());
      }
      doc.put("t", "e2e").put("e2e", e2e);
    } else {
      doc.put("text", m.text());
    }
    return mongo.insert(io.sealroom.store.Collections.MESSAGES, doc).<Void>mapEmpty()
        .recover(t -> StoreErrors.isDuplicateKey(t) ? Future.failedFuture(t) : StoreErrors.unavailable(t));
  }

  /**
   * A claimed message holds a negative seq derived from its random id until it gets its real
   * one: it stays unique under the (rid, seq) index without a partial index (which not every
   * MongoDB-protocol server honours), readers (who ask for seq &gt;= 1) skip it, and the update
   * that sets the real seq can name it exactly.
   */
  static long pendingSeq(String messageId) {
    long h = 1125899906842597L;
    for (int i = 0; i < messageId.length(); i++) {
      h = 31 * h + messageId.charAt(i);
    }
    h ^= (h >>> 33);
    h *= 0xff51afd7ed558ccdL;
    h ^= (h >>> 33);
    return -1 - (h >>> 2);
  }

  @Override
  public Future<Boolean> assignSeq(String rid, String messageId, long seq) {
    // exact values: the embedded store answers {_id, seq} from its (_id, seq) index, a range would scan
    JsonObject q = new JsonObject().put("_id", messageId).put("seq", pendingSeq(messageId));
    return mongo.updateCollection(io.sealroom.store.Collections.MESSAGES, q,
            new JsonObject().put("$set", new JsonObject().put("seq", seq).put("rs", seqKey(rid, seq))))
        .map(r -> r != null && r.getDocModified() == 1)
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<Message> findByCid(String uid, String cid) {
    return mongo.findOne(io.sealroom.store.Collections.MESSAGES, new JsonObject().put("uid", uid).put("cid", cid), null)
        .map(d -> d == null ? null : toMessage(d))
        .recover(StoreErrors::unavailable);
  }

  @Override
  public Future<List<Message>> range(String rid, long from, long to) {
    if (to - from + 1 > MAX_RANGE) {
      throw new IllegalArgumentException("range over " + MAX_RANGE + " seqs");
    }
    JsonArray keys = new JsonArray();
    for (long seq = from; seq <= to; seq++) {
      keys.add(seqKey(rid, seq));
    }
    FindOptions opts = new FindOptions().setSort(new JsonObject().put("seq", 1));
    return mongo.findWithOptions(io.sealroom.store.Collections.MESSAGES,
            new JsonObject().put("rs", new JsonObject().put("$in", keys)), opts)
        .map(docs -> docs.stream().map(MongoMessageStore::toMessage).toList())
        .recover(StoreErrors::unavailable);
  }

  /**
   * "rid:seq", set together with the seq. The embedded store answers only exact matches on an
   * index's whole key from the index (no range scans), so history pages ask for their seqs one
   * by one through this single-field unique index; MongoDB answers the same query as well.
   */
  static String seqKey(String rid, long seq) {
    return rid + ":" + seq;
  }

  @Override
  public Future<List<Message>> searchText(Collection<String> rids, String literal, int limit) {
    JsonObject q = new JsonObject()
        .put("rid", new JsonObject().put("$in", new JsonArray(new ArrayList<>(rids))))
        .put("text", new JsonObject().put("$regex", escapeRegex(literal)).put("$options", "i"))
        .put("seq", new JsonObject().put("$gt", 0));
    FindOptions opts = new FindOptions().setSort(new JsonObject().put("ts", -1)).setLimit(limit);
    return mongo.findWithOptions(io.sealroom.store.Collections.MESSAGES, q, opts)
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
    JsonObject e = d.getJsonObject("e2e");
    E2ePayload e2e = e == null ? null
        : new E2ePayload(e.getString("kid"), e.getString("iv"), e.getString("ct"), e.getString("sig"));
    long seq = d.getLong("seq", 0L);
    return new Message(d.getString("_id"), d.getString("rid"), Math.max(seq, 0), d.getString("uid"),
        d.getString("username"), d.getLong("ts"), d.getString("cid"), e2e == null ? d.getString("text") : null, e2e);
  }
}
