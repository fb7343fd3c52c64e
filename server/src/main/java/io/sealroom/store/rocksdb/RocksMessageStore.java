package io.sealroom.store.rocksdb;

import io.sealroom.common.ApiException;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.sealroom.store.Docs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@link MessageStore} on the embedded store: "m rid seq" holds the message, "c uid cid" its key.
 * A batch is one operation of the single writer: it stops at the first message whose seq or
 * (uid, cid) is taken, keeping the ones before it, so what is stored is always a prefix of each
 * room's numbering. The head is the greatest seq stored (one backward seek), so
 * {@link #raiseHeads} has nothing to do. Encrypted messages have no text field: search never
 * matches them.
 */
public final class RocksMessageStore implements MessageStore {
  private final RocksEngine engine;

  public RocksMessageStore(RocksEngine engine) {
    this.engine = engine;
  }

  static byte[] cidKey(String uid, String cid) {
    return Codec.key(Codec.MESSAGE_BY_CID, uid, cid);
  }

  @Override
  public Future<Long> head(String rid) {
    return engine.read(v -> {
      if (v.get(RocksRoomStore.roomKey(rid)) == null) {
        throw ApiException.notFound("room");
      }
      return RocksRoomStore.head(v, rid);
    });
  }

  @Override
  public Future<Integer> insertOrdered(List<Message> batch) {
    // encoded before they reach the writer thread, which only checks and writes keys
    byte[][] values = new byte[batch.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = Docs.messageBytes(batch.get(i));
    }
    return engine.write(tx -> {
      for (int i = 0; i < values.length; i++) {
        Message m = batch.get(i);
        if (!putMessage(tx, m.rid(), m.seq(), m.uid(), m.cid(), values[i])) {
          return i;
        }
      }
      return values.length;
    }).compose(stored -> stored == batch.size()
        ? Future.succeededFuture(stored)
        : Future.failedFuture(new DuplicateAt(stored)));
  }

  /** Writes a message and its cid key; false (nothing written) when its seq or its (uid, cid) is taken. */
  static boolean putMessage(Tx tx, JsonObject doc) {
    return putMessage(tx, doc.getString("rid"), doc.getLong("seq"), doc.getString("uid"), doc.getString("cid"),
        Codec.bytes(doc));
  }

  private static boolean putMessage(Tx tx, String rid, long seq, String uid, String cid, byte[] value) {
    byte[] key = Codec.message(rid, seq);
    byte[] byCid = cidKey(uid, cid);
    // a seq above the room's greatest cannot be taken: only a seq at or below it needs a read
    long top = tx.heads().top(tx, rid);
    if ((seq <= top && tx.get(key) != null) || tx.get(byCid) != null) {
      return false;
    }
    tx.put(key, value);
    tx.put(byCid, key);
    tx.heads().raised(rid, seq);
    return true;
  }

  @Override
  public Future<Void> raiseHeads(Map<String, Long> heads) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Message> findByCid(String uid, String cid) {
    return engine.read(v -> {
      byte[] key = v.get(cidKey(uid, cid));
      JsonObject d = key == null ? null : v.doc(key);
      return d == null ? null : Docs.toMessage(d);
    });
  }

  @Override
  public Future<List<Message>> range(String rid, long from, long to) {
    if (to - from + 1 > MAX_RANGE) {
      throw new IllegalArgumentException("range over " + MAX_RANGE + " seqs");
    }
    long first = Math.max(0, from);
    return engine.read(v -> {
      List<Message> out = new ArrayList<>();
      v.scan(Codec.key(Codec.MESSAGE, rid), Codec.message(rid, first), (k, val) -> {
        if (Codec.seqOf(k) > to) {
          return false;
        }
        out.add(Docs.toMessage(Codec.doc(val)));
        return true;
      });
      return out;
    });
  }

  @Override
  public Future<List<Message>> searchText(Collection<String> rids, String literal, int limit) {
    List<String> rooms = List.copyOf(rids);
    Pattern p = Pattern.compile(Pattern.quote(literal), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    // a scan of whole rooms: on a worker of its own kind, so that it never holds up point reads
    return engine.readLong(v -> {
      List<Message> found = new ArrayList<>();
      for (String rid : rooms) {
        int[] inRoom = {0};
        v.scanBack(Codec.key(Codec.MESSAGE, rid), (k, val) -> {
          JsonObject d = Codec.doc(val);
          String text = d.getString("text");
          if (text != null && p.matcher(text).find()) {
            found.add(Docs.toMessage(d));
            inRoom[0]++;
          }
          return inRoom[0] < limit;
        });
      }
      found.sort(Comparator.comparingLong(Message::ts).reversed());
      return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    });
  }
}
