package io.sealroom.kt;

import io.sealroom.common.ApiException;
import io.sealroom.keys.KeyStore;
import io.sealroom.keys.KeyVersion;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The key-transparency log (docs/protocol.md, "The key-transparency log"): appends of key
 * versions, signed tree heads, inclusion and consistency proofs and leaf pages for auditors.
 *
 * <p>Every answer is computed from the store, so every node of a cluster serves the same tree.
 * A proof or a root reads O(log n) stored nodes in one batch ({@link Merkle#plan}) and hashes
 * O(log n) times, which is cheap enough for the event loop, as is the one Ed25519 signature per
 * new size ({@link #head} keeps the last signed head). The start-up backfill scans on a worker
 * (or page by page) and appends one version at a time.
 *
 * <p>Thread-safe; futures complete on the caller's context.
 */
public final class KtService {
  /** Most leaves one page of {@link #leaves} answers. */
  public static final int MAX_LEAVES = 1000;
  private static final Logger LOG = Logger.getLogger(KtService.class.getName());

  private final KtStore log;
  private final KeyStore keys;
  private final LogKey key;
  private final KtMetrics metrics;
  /** The signed head of the greatest size this node has signed. */
  private final AtomicReference<SignedHead> lastHead = new AtomicReference<>();

  public KtService(KtStore log, KeyStore keys, LogKey key, KtMetrics metrics) {
    this.log = log;
    this.keys = keys;
    this.key = key;
    this.metrics = metrics;
  }

  /** The log key in the store, a new one stored first when there is none (first node wins). */
  public static Future<LogKey> loadKey(KtStore log) {
    return log.logKey(LogKey.generate().stored()).map(LogKey::parse);
  }

  /** Logs the version (once: a logged one keeps its index) and answers its index, once durable. */
  public Future<Long> append(String uid, String ukid, long createdAt) {
    KtLeaf leaf = new KtLeaf(uid, ukid, createdAt);
    long t0 = System.nanoTime();
    return log.append(leaf.key(), leaf.leaf()).onSuccess(i -> {
      metrics.appended(System.nanoTime() - t0);
      metrics.saw(i + 1);
    });
  }

  /** The current tree head, signed. */
  public Future<SignedHead> head() {
    return log.size().compose(size -> {
      metrics.saw(size);
      SignedHead cached = lastHead.get();
      if (cached != null && cached.size() == size) {
        return Future.succeededFuture(cached);
      }
      return compute(s -> Merkle.root(s, size)).map(root -> {
        long ts = System.currentTimeMillis();
        SignedHead head = new SignedHead(size, root, ts, key.sign(Heads.signedText(size, root, ts)), key.x());
        lastHead.accumulateAndGet(head, (old, fresh) -> old != null && old.size() > fresh.size() ? old : fresh);
        return head;
      });
    });
  }

  /**
   * The inclusion proof of the version in the tree of {@code size} leaves (null: the current
   * size). A version in the user's key history that is not logged yet (its upload's append
   * failed) is appended first. Fails not_found when the version is not in that tree, and
   * invalid_request ({@code size}) for a size outside 1..current.
   */
  public Future<InclusionProof> proof(String uid, String ukid, Long size) {
    if (size != null && size < 1) {
      return Future.failedFuture(badSize());
    }
    return locate(uid, ukid).compose(logged -> log.size().compose(current -> {
      long n = size == null ? current : size;
      if (n < 1 || n > current) {
        return Future.failedFuture(badSize());
      }
      if (logged == null || logged.index() >= n) {
        return Future.failedFuture(ApiException.notFound("key version in the log of size " + n));
      }
      long index = logged.index();
      return compute(s -> Merkle.inclusion(s, index, n)).map(path -> new InclusionProof(index, logged.leaf(), n, path));
    }));
  }

  /** The consistency proof from the tree of {@code from} leaves to that of {@code to}, 1 ≤ from ≤ to ≤ current. */
  public Future<ConsistencyProof> consistency(long from, long to) {
    if (from < 1) {
      return Future.failedFuture(ApiException.invalid("from", "must be at least 1"));
    }
    if (to < from) {
      return Future.failedFuture(ApiException.invalid("to", "must not be less than from"));
    }
    return log.size().compose(current -> {
      if (to > current) {
        return Future.failedFuture(ApiException.invalid("to", "must not exceed the current size " + current));
      }
      return compute(s -> Merkle.consistency(s, from, to)).map(path -> new ConsistencyProof(from, to, path));
    });
  }

  /** Leaves {@code [start, end)}: at most {@link #MAX_LEAVES}, {@code end} ≤ the current size. */
  public Future<List<String>> leaves(long start, long end) {
    if (start < 0) {
      return Future.failedFuture(ApiException.invalid("start", "must be a non-negative integer"));
    }
    if (end < start || end - start > MAX_LEAVES) {
      return Future.failedFuture(ApiException.invalid("end", "must be from start to start + " + MAX_LEAVES));
    }
    return log.size().compose(current -> end > current
        ? Future.failedFuture(ApiException.invalid("end", "must not exceed the current size " + current))
        : log.leaves(start, end));
  }

  /**
   * Appends every stored key version that is not logged, oldest createdAt first; answers how
   * many were appended. Run it in the background: it scans every user. Appends go out
   * {@link #BACKFILL_WINDOW} at a time, in order: both stores append a node's calls in call
   * order (one writer queue; one batch queue), so the order holds and the writes share commits.
   */
  public Future<Integer> backfill() {
    return log.unlogged().compose(found -> {
      Map<String, KtLeaf> once = new LinkedHashMap<>();
      found.stream()
          .sorted(Comparator.comparingLong(KtLeaf::createdAt).thenComparing(KtLeaf::uid).thenComparing(KtLeaf::ukid))
          .forEach(l -> once.putIfAbsent(l.key(), l));
      List<KtLeaf> todo = new ArrayList<>(once.values());
      return appendFrom(todo, 0).map(todo.size());
    }).onSuccess(n -> LOG.info("key-transparency log: " + n + " stored key versions added at start"))
        .onFailure(t -> LOG.warning("key-transparency log: the start-up backfill failed (" + t.getMessage()
            + "); versions it missed are logged when their proof is asked for"));
  }

  /** Versions a backfill has in flight at once. */
  static final int BACKFILL_WINDOW = 256;

  private Future<Void> appendFrom(List<KtLeaf> todo, int from) {
    if (from >= todo.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(todo.size(), from + BACKFILL_WINDOW);
    List<Future<Long>> window = new ArrayList<>(to - from);
    for (KtLeaf l : todo.subList(from, to)) {
      window.add(append(l.uid(), l.ukid(), l.createdAt()));
    }
    return Future.all(window).compose(v -> appendFrom(todo, to));
  }

  /** The logged version, appended first when it is in the user's history but not in the log; null when neither. */
  private Future<KtStore.Logged> locate(String uid, String ukid) {
    if (uid.indexOf('|') >= 0 || ukid.indexOf('|') >= 0) {
      return Future.succeededFuture();
    }
    String k = KtLeaf.key(uid, ukid);
    return log.find(k).compose(found -> found != null ? Future.succeededFuture(found)
        : keys.versions(uid).compose(versions -> {
          KeyVersion v = versions.stream().filter(x -> x.ukid().equals(ukid)).findFirst().orElse(null);
          if (v == null) {
            return Future.succeededFuture();
          }
          LOG.info("key-transparency log: a stored key version was not logged; appending it now");
          return append(uid, ukid, v.createdAt()).compose(i -> log.find(k));
        }));
  }

  /** Fetches the nodes the computation reads in one batch, then runs it over them. */
  private <T> Future<T> compute(Function<NodeSource, T> computation) {
    Set<NodeId> plan = Merkle.plan(computation);
    return log.nodes(plan).map(nodes -> {
      try {
        return computation.apply(Merkle.fetched(nodes));
      } catch (IllegalStateException e) {
        LOG.warning("key-transparency log: " + e.getMessage());
        throw ApiException.unavailable();
      }
    });
  }

  private static ApiException badSize() {
    return ApiException.invalid("size", "must be an integer from 1 to the current size");
  }
}
