package io.sealroom.store;

import io.sealroom.common.ApiException;
import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.Merkle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Moving the key-transparency log with an export, the same way on both engines: the export's
 * {@code kt} documents are first the log's head (its size, root and signing key), then every
 * leaf in index order. An import appends the leaves in that order and checks that the rebuilt
 * tree has the exported root, so clients that pinned the log key and its last head keep
 * trusting the moved log. Blocking: for the export and import commands only.
 */
public final class KtTransfer {
  static final String HEAD_ID = "head";
  private static final int PAGE = 1000;
  private static final int IN_FLIGHT = 512;
  private static final long WAIT_S = 300;

  private KtTransfer() {
  }

  /** The log's documents (none for an empty log, which has nothing to keep). */
  public static void export(KtStore log, Consumer<Stores.StoredDoc> out) throws Exception {
    long size = await(log.size());
    if (size == 0) {
      return;
    }
    // a log with leaves has its key stored (a node loaded it before appending): this only reads it
    String key = await(log.logKey(io.sealroom.kt.LogKey.generate().stored()));
    out.accept(new Stores.StoredDoc(Stores.StoredDoc.KT, new JsonObject().put("_id", HEAD_ID).put("size", size)
        .put("root", Base64.getUrlEncoder().withoutPadding().encodeToString(root(log, size))).put("key", key)));
    for (long start = 0; start < size; start += PAGE) {
      List<String> page = await(log.leaves(start, Math.min(size, start + PAGE)));
      for (int i = 0; i < page.size(); i++) {
        out.accept(new Stores.StoredDoc(Stores.StoredDoc.KT,
            new JsonObject().put("_id", Long.toString(start + i)).put("leaf", page.get(i))));
      }
    }
  }

  /** Takes an export's {@code kt} documents, in the export's order; {@link #finish} checks the result. */
  public static final class Importer {
    private final KtStore log;
    private final Deque<Future<Long>> inFlight = new ArrayDeque<>();
    private JsonObject head;
    private long next;

    public Importer(KtStore log) {
      this.log = log;
    }

    public void add(JsonObject doc) throws Exception {
      if (HEAD_ID.equals(doc.getString("_id"))) {
        if (head != null || next > 0) {
          throw ApiException.invalid("kt", "the log's head must come once, before its leaves");
        }
        head = doc;
        String key = doc.getString("key");
        if (key == null || !key.equals(await(log.logKey(key)))) {
          throw ApiException.invalid("kt", "the target store has another key-transparency log key: import into a store"
              + " no node has started on");
        }
        return;
      }
      String leaf = doc.getString("leaf");
      if (head == null || leaf == null || !Long.toString(next).equals(doc.getString("_id"))) {
        throw ApiException.invalid("kt", "leaf " + doc.getString("_id") + " is out of order (expected " + next + ")");
      }
      long expected = next++;
      inFlight.add(log.append(KtLeaf.keyOf(leaf), leaf).compose(i -> i == expected ? Future.succeededFuture(i)
          : Future.failedFuture(ApiException.invalid("kt", "leaf " + expected + " was logged at " + i))));
      while (inFlight.size() >= IN_FLIGHT) {
        await(inFlight.poll());
      }
    }

    /** Waits for every append and checks the size and root the export named. */
    public void finish() throws Exception {
      while (!inFlight.isEmpty()) {
        await(inFlight.poll());
      }
      if (head == null) {
        return;
      }
      long size = await(log.size());
      String root = Base64.getUrlEncoder().withoutPadding().encodeToString(root(log, size));
      if (size != head.getLong("size", -1L) || !root.equals(head.getString("root"))) {
        throw ApiException.invalid("kt", "the imported log (size " + size + ") does not have the exported root");
      }
    }
  }

  private static byte[] root(KtStore log, long size) throws Exception {
    var plan = Merkle.plan(s -> Merkle.root(s, size));
    return Merkle.root(Merkle.fetched(await(log.nodes(plan))), size);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }
}
