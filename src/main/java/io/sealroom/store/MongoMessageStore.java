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
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
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
        .put("seq", pendingSeq())
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
   * A claimed message holds a random negative seq until it gets its real one: it stays unique
   * under the (rid, seq) index without a partial index (which not every MongoDB-protocol server
   * honours), and every reader, which asks for seq &gt; some non-negative value, skips it.
   */
  private static long pendingSeq() {
    return -1 - (RANDOM.nextLong() >>> 2);
  }

  @Override
  public Future<Boolean> assignSeq(String messageId, long seq) {
    JsonObject q = new JsonObject().put("_id", messageId).put("seq", new JsonObject().put("$lt", 0));
    return mongo.updateCollection(io.sealroom.store.Collections.MESSAGES, q,
            new JsonObject().put("$set", new JsonObject().put("seq", seq)))
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
  public Future<List<Message>> page(String rid, long after, long before, int limit, boolean newest) {
    JsonObject range = new JsonObject().put("$gt", after);
    if (before != Long.MAX_VALUE) {
      range.put("$lt", before);
    }
    JsonObject q = new JsonObject().put("rid", rid).put("seq", range);
    FindOptions opts = new FindOptions().setSort(new JsonObject().put("seq", newest ? -1 : 1)).setLimit(limit);
    return mongo.findWithOptions(io.sealroom.store.Collections.MESSAGES, q, opts)
        .map(docs -> {
          List<Message> out = new ArrayList<>(docs.size());
          docs.forEach(d -> out.add(toMessage(d)));
          if (newest) {
            Collections.reverse(out);
          }
          return out;
        })
        .recover(StoreErrors::unavailable);
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
