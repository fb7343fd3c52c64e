package io.sealroom.bench;

import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A measuring harness (not a test) for the key-transparency log at a large size, on the
 * embedded engine: fills a data directory with N generated key versions (made-up ids, the
 * leaves' real shape), then measures, at that size, the time of one append (each waiting for
 * its own fsync, and many at once), and over HTTP from a node on that directory the time to
 * serve inclusion and consistency proofs and their size (after 500 untimed rounds of each, which
 * warm the node up). Prints one JSON object. Usage:
 * {@code java -cp server/target/classes:server/target/test-classes:<deps> io.sealroom.bench.KtBench DIR N}
 * (see load-tests/scripts/kt.sh, which builds the class path and keeps the results).
 */
public final class KtBench {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String B64U = ALNUM + "-_";

  private KtBench() {
  }

  public static void main(String[] args) throws Exception {
    String dir = args.length > 0 ? args[0] : "/tmp/kt-bench";
    long n = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    JsonObject out = new JsonObject().put("leaves", n).put("engine", "rocksdb");
    Vertx vertx = Vertx.vertx();
    List<String> sample = new ArrayList<>();
    try (RocksStores stores = RocksStores.open(vertx, java.nio.file.Path.of(dir, io.sealroom.store.Stores.DB_DIR).toString(), 256)) {
      KtStore log = stores.kt();
      long have = await(log.size());
      if (have < n) {
        long t0 = System.nanoTime();
        fill(log, n - have, 4096);
        double s = (System.nanoTime() - t0) / 1e9;
        out.put("fill", new JsonObject().put("appended", n - have).put("seconds", round(s)).put("appendsPerSecond", Math.round((n - have) / s)));
      }
      long size = await(log.size());
      out.put("sizeBefore", size);
      // one append at a time: each answer waits for its own synced write
      long[] one = new long[samples];
      for (int i = 0; i < samples; i++) {
        String leaf = leaf();
        long t = System.nanoTime();
        await(log.append(KtLeaf.keyOf(leaf), leaf));
        one[i] = System.nanoTime() - t;
      }
      out.put("appendOneAtATimeMs", percentiles(one));
      // many at once, as many uploads on a busy node: the single writer groups them into one fsync
      long t0 = System.nanoTime();
      int burst = 20_000;
      fill(log, burst, 256);
      out.put("appendBurst", new JsonObject().put("appends", burst).put("inFlight", 256)
          .put("appendsPerSecond", Math.round(burst / ((System.nanoTime() - t0) / 1e9))));
      long sizeNow = await(log.size());
      for (int i = 0; i < samples; i++) {
        long index = Math.floorMod(RANDOM.nextLong(), sizeNow);
        sample.add(await(log.leaves(index, index + 1)).get(0));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    overHttp(dir, sample, samples, out);
    System.out.println(out.encodePrettily());
  }

  /** Appends {@code count} generated leaves with {@code window} appends in flight. */
  static void fill(KtStore log, long count, int window) throws Exception {
    AtomicLong started = new AtomicLong();
    AtomicLong done = new AtomicLong();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started.getAndIncrement() >= count) {
        return;
      }
      String leaf = leaf();
      log.append(KtLeaf.keyOf(leaf), leaf).onComplete(ar -> {
        if (ar.failed()) {
          finished.completeExceptionally(ar.cause());
          return;
        }
        if (done.incrementAndGet() == count) {
          finished.complete(null);
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(window, count); i++) {
      next[0].run();
    }
    finished.get(2, TimeUnit.HOURS);
  }

  /** Proofs served by a node on the directory, one at a time and 16 at once; their sizes. */
  static void overHttp(String dir, List<String> sample, int samples, JsonObject out) throws Exception {
    try (TestNode node = TestNode.start(Map.of("store.dataDir", dir, "e2e.minKdfIterations", 1000))) {
      HttpClient http = HttpClient.newHttpClient();
      String base = node.baseUrl();
      JsonObject head = get(http, base + "/api/v1/kt/head").json;
      long size = head.getLong("size");
      out.put("head", head.copy());
      // warm-up: the node's code paths compiled and its caches filled before anything is timed
      for (int i = 0; i < Math.min(500, samples); i++) {
        String[] p = sample.get(i).split("\\|");
        get(http, base + "/api/v1/kt/proof?uid=" + p[0] + "&ukid=" + p[1] + "&size=" + size);
        get(http, base + "/api/v1/kt/consistency?from=" + (1 + i) + "&to=" + size);
        get(http, base + "/api/v1/kt/head");
      }
      java.util.Collections.shuffle(sample, RANDOM);
      long[] t = new long[samples];
      long bytes = 0;
      int pathLength = 0;
      for (int i = 0; i < samples; i++) {
        String[] p = sample.get(i).split("\\|");
        long t0 = System.nanoTime();
        Got g = get(http, base + "/api/v1/kt/proof?uid=" + p[0] + "&ukid=" + p[1] + "&size=" + size);
        t[i] = System.nanoTime() - t0;
        bytes += g.bytes;
        pathLength = Math.max(pathLength, g.json.getJsonArray("path").size());
      }
      out.put("proofOneAtATimeMs", percentiles(t));
      out.put("proofSize", new JsonObject().put("meanBodyBytes", bytes / samples).put("maxPathEntries", pathLength)
          .put("pathBytes", pathLength * 32));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        long t0 = System.nanoTime();
        List<CompletableFuture<Got>> all = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
          String[] p = sample.get(i).split("\\|");
          all.add(CompletableFuture.supplyAsync(() -> get(http, base + "/api/v1/kt/proof?uid=" + p[0] + "&ukid=" + p[1]
              + "&size=" + size), pool));
        }
        all.forEach(CompletableFuture::join);
        out.put("proofs16AtOncePerSecond", Math.round(samples / ((System.nanoTime() - t0) / 1e9)));
      } finally {
        pool.shutdownNow();
      }
      long[] c = new long[samples];
      long cBytes = 0;
      for (int i = 0; i < samples; i++) {
        long from = 1 + Math.floorMod(RANDOM.nextLong(), size - 1);
        long t0 = System.nanoTime();
        Got g = get(http, base + "/api/v1/kt/consistency?from=" + from + "&to=" + size);
        c[i] = System.nanoTime() - t0;
        cBytes += g.bytes;
      }
      out.put("consistencyOneAtATimeMs", percentiles(c)).put("consistencyMeanBodyBytes", cBytes / samples);
      long[] h = new long[samples];
      for (int i = 0; i < samples; i++) {
        long t0 = System.nanoTime();
        get(http, base + "/api/v1/kt/head");
        h[i] = System.nanoTime() - t0;
      }
      out.put("headOneAtATimeMs", percentiles(h));
    }
  }

  record Got(JsonObject json, int bytes) {
  }

  static Got get(HttpClient http, String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
      }
      return new Got(new JsonObject(r.body()), r.body().length());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String leaf() {
    StringBuilder b = new StringBuilder(60);
    for (int i = 0; i < 20; i++) {
      b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    }
    b.append('|');
    for (int i = 0; i < 16; i++) {
      b.append(B64U.charAt(RANDOM.nextInt(B64U.length())));
    }
    return b.append('|').append(System.currentTimeMillis()).toString();
  }

  static JsonObject percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new JsonObject().put("p50", ms(s[s.length / 2])).put("p90", ms(s[(int) (s.length * 0.9)]))
        .put("p99", ms(s[(int) (s.length * 0.99)])).put("max", ms(s[s.length - 1])).put("n", s.length);
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
