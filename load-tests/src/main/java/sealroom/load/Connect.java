package sealroom.load;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens C authenticated Sealroom connections (auth, then ready) as fast as the server takes them,
 * with at most --connect-concurrency handshakes in flight, from several loopback source
 * addresses, then keeps them idle. Reports connects/s and, with --server-pid, the server's RSS at
 * each checkpoint and per connection. One process holds at most about 19,900 sockets under an
 * open-files limit of 20,000: --procs K splits the connections over K child processes of this
 * jar, and the parent adds up their counts. EMFILE (on either side) ends the opening and is
 * reported.
 */
final class Connect {
  private final Vertx vertx;
  private final Opts o;
  private final AtomicLong ready = new AtomicLong(), failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile boolean emfile, stop;
  /** Per connection: TCP connect + upgrade + auth until ready, in microseconds. */
  private final org.HdrHistogram.Recorder handshake = new org.HdrHistogram.Recorder(3);

  Connect(Vertx vertx, Opts o) {
    this.vertx = vertx;
    this.o = o;
  }

  JsonObject run() throws Exception {
    return o.procs > 1 ? parent() : single();
  }

  // ------------------------------------------------------------------ one process

  private JsonObject single() throws Exception {
    String pid = o.serverPid > 0 && o.procIndex < 0 ? Long.toString(o.serverPid) : null;
    int users = o.users > 0 ? o.users : 100;
    SealroomApi api = new SealroomApi(vertx, o);
    String run = "lc" + Long.toString(System.currentTimeMillis(), 36) + (o.procIndex >= 0 ? "p" + o.procIndex : "");
    long t0 = System.nanoTime();
    List<String> tokens = Async.of(api.users(run, users)).get();
    System.out.printf("setup: %d users in %.1f s%n", users, Fanout.secs(t0));
    long rss0 = pid == null ? -1 : Proc.rssKb(pid);
    int[] cps = checkpoints();
    JsonArray marks = new JsonArray();
    WsClient client = new WsClient(o.loops, "ws-loop", o.rcvbuf);
    InetSocketAddress remote = new InetSocketAddress(o.host(), o.port());
    String hostHeader = o.host() + ":" + o.port();
    ConcurrentLinkedQueue<SrSession> open = new ConcurrentLinkedQueue<>();
    Semaphore inFlight = new Semaphore(o.connectConcurrency);
    SrSession.Handler h = new SrSession.Handler() {
      @Override
      public void onMsg(SrSession s, io.netty.buffer.ByteBuf b, int from, int to) { }
    };
    double srvCpu0 = pid == null ? -1 : Proc.cpuSeconds(pid), toolCpu0 = Proc.cpuSeconds("self");
    long start = System.nanoTime();
    int next = 0, cp = 0;
    long lastPrint = 0;
    while (next < o.conns && !stop) {
      if (!inFlight.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        if (now - lastPrint > 200_000_000L) { lastPrint = now; progress(false); }
        continue;
      }
      int i = next++;
      InetSocketAddress local = o.sources > 0 ? new InetSocketAddress("127.0.0." + (2 + i % o.sources), 0) : null;
      SrSession s = new SrSession(i, tokens.get(i % users), null, h);
      long began = System.nanoTime();
      s.open(client, remote, local, hostHeader).ready.whenComplete((v, e) -> {
        if (e == null) {
          handshake.recordValue(Math.max(0, (System.nanoTime() - began) / 1000));
          ready.incrementAndGet();
          open.add(s);
          inFlight.release();
          return;
        }
        failed.incrementAndGet();
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        firstFailure.compareAndSet(null, root == e ? e.toString() : e + " <- " + root);
        if (WsClient.isEmfile(e)) { emfile = true; stop = true; }
        inFlight.release();
      });
      if (pid != null && cp < cps.length) {
        // A checkpoint: wait for the handshakes in flight, then read the server's RSS.
        if (i + 1 == cps[cp]) {
          inFlight.acquire(o.connectConcurrency);
          inFlight.release(o.connectConcurrency);
          marks.add(mark(pid, rss0, start));
          cp++;
        }
      }
      long now = System.nanoTime();
      if (now - lastPrint > 200_000_000L) { lastPrint = now; progress(false); }
    }
    // The last handshakes: keep reporting progress (a parent process watches it) until they end.
    while (!inFlight.tryAcquire(o.connectConcurrency, 200, TimeUnit.MILLISECONDS)) progress(false);
    inFlight.release(o.connectConcurrency);
    double connectSecs = Fanout.secs(start);
    double srvCpu = pid == null ? -1 : Proc.cpuSeconds(pid) - srvCpu0, toolCpu = Proc.cpuSeconds("self") - toolCpu0;
    progress(true);
    if (pid != null && (marks.isEmpty() || marks.getJsonObject(marks.size() - 1).getLong("connections") != ready.get())) {
      marks.add(mark(pid, rss0, start));
    }
    System.out.printf("connected: %d ready, %d failed in %.1f s (%.0f/s)%s%n", ready.get(), failed.get(), connectSecs,
        ready.get() / connectSecs, emfile ? "; stopped: EMFILE (too many open files)" : "");
    Thread.sleep(TimeUnit.SECONDS.toMillis(o.idle));
    long closedWhileIdle = open.stream().filter(s -> !s.conn.isOpen()).count();
    JsonObject r = new JsonObject().put("scenario", "connect").put("target", o.target).put("label", o.label).put("url", o.url)
        .put("conns", o.conns).put("users", users).put("sources", o.sources).put("procs", 1).put("connectConcurrency", o.connectConcurrency)
        .put("ready", ready.get()).put("failed", failed.get()).put("emfile", emfile).put("firstFailure", firstFailure.get())
        .put("connectSeconds", Fanout.round(connectSecs)).put("connectsPerSec", Fanout.round(ready.get() / connectSecs))
        .put("closedWhileIdle", closedWhileIdle).put("idleSeconds", o.idle)
        .put("toolCpuPctWhileConnecting", Fanout.round(100 * toolCpu / connectSecs));
    org.HdrHistogram.Histogram hs = handshake.getIntervalHistogram();
    JsonObject l = new JsonObject();
    for (double p : new double[] {50, 90, 99}) l.put("p" + p, Fanout.round(hs.getValueAtPercentile(p) / 1000.0));
    r.put("connectToReadyMs", l.put("max", Fanout.round(hs.getMaxValue() / 1000.0)));
    if (pid != null) {
      r.put("serverCpuPctWhileConnecting", Fanout.round(100 * srvCpu / connectSecs))
          .put("serverCpuUsPerConnect", ready.get() == 0 ? null : Fanout.round(srvCpu * 1e6 / ready.get()));
      long rss = Proc.rssKb(pid);
      r.put("serverRssKbBefore", rss0).put("serverRssKb", rss).put("checkpoints", marks)
          .put("serverRssKbPerConnection", ready.get() == 0 ? null : Fanout.round((rss - rss0) / (double) ready.get()));
    }
    stop = true;
    client.close();
    return r;
  }

  private JsonObject mark(String pid, long rss0, long start) {
    long rss = Proc.rssKb(pid);
    long n = ready.get();
    JsonObject m = new JsonObject().put("connections", n).put("seconds", Fanout.round(Fanout.secs(start))).put("serverRssKb", rss)
        .put("serverRssKbPerConnection", n == 0 ? null : Fanout.round((rss - rss0) / (double) n));
    System.out.println("checkpoint: " + m.encode());
    return m;
  }

  private long lastHumanLine;

  private void progress(boolean always) {
    if (o.procIndex >= 0) {
      // A child of --procs: short machine-readable lines, read by the parent.
      System.out.println("@progress ready=" + ready.get() + " failed=" + failed.get() + (emfile ? " emfile" : ""));
      return;
    }
    long now = System.nanoTime();
    if (!always && now - lastHumanLine < 1_000_000_000L) return;
    lastHumanLine = now;
    System.out.printf("connecting: ready=%d failed=%d%s%n", ready.get(), failed.get(), emfile ? " (EMFILE)" : "");
  }

  private int[] checkpoints() {
    if (o.checkpoints != null) return o.checkpoints;
    List<Integer> l = new ArrayList<>();
    for (int c = 10_000; c < o.conns; c += 10_000) l.add(c);
    l.add(o.conns);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  // ------------------------------------------------------------------ K processes

  /** Forks K children of this jar, each with its share of --conns and --users; reads their progress and results. */
  private JsonObject parent() throws Exception {
    String pid = o.serverPid > 0 ? Long.toString(o.serverPid) : null;
    long rss0 = pid == null ? -1 : Proc.rssKb(pid);
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    int users = o.users > 0 ? o.users : 100;
    List<Process> procs = new ArrayList<>();
    AtomicLong[] readyBy = new AtomicLong[o.procs];
    JsonObject[] results = new JsonObject[o.procs];
    List<Thread> readers = new ArrayList<>();
    long start = System.nanoTime();
    for (int k = 0; k < o.procs; k++) {
      int share = o.conns / o.procs + (k < o.conns % o.procs ? 1 : 0);
      List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "sealroom.load.Main", "connect", "--url", o.url,
          "--conns", Integer.toString(share), "--users", Integer.toString(Math.max(1, users / o.procs)),
          "--sources", Integer.toString(o.sources), "--connect-concurrency", Integer.toString(o.connectConcurrency),
          "--loops", Integer.toString(o.loops), "--idle", Integer.toString(o.idle + 5), "--rest-concurrency", Integer.toString(o.restConcurrency),
          "--proc-index", Integer.toString(k), "--label", o.label + " #" + k));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      procs.add(p);
      readyBy[k] = new AtomicLong();
      int idx = k;
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("@progress ready=")) {
              int sp = line.indexOf(' ', 16);
              readyBy[idx].set(Long.parseLong(line.substring(16, sp < 0 ? line.length() : sp)));
            } else if (line.startsWith("result: ")) {
              results[idx] = new JsonObject(line.substring(8));
            } else if (!line.startsWith("|")) {
              System.out.println("[" + idx + "] " + line);
            }
          }
        } catch (Exception ignored) { }
      });
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    // Checkpoints: the server's RSS when the children's connections add up to each mark.
    int[] cps = checkpoints();
    JsonArray marks = new JsonArray();
    int cpi = 0;
    long lastChange = System.nanoTime(), last = -1, allReadyAt = -1;
    while (procs.stream().anyMatch(Process::isAlive)) {
      long sum = 0;
      for (AtomicLong a : readyBy) sum += a.get();
      if (sum != last) { last = sum; lastChange = System.nanoTime(); }
      while (cpi < cps.length && sum >= cps[cpi]) {
        if (pid != null) {
          long rss = Proc.rssKb(pid);
          JsonObject m = new JsonObject().put("connections", sum).put("seconds", Fanout.round(Fanout.secs(start))).put("serverRssKb", rss)
              .put("serverRssKbPerConnection", sum == 0 ? null : Fanout.round((rss - rss0) / (double) sum));
          System.out.println("checkpoint: " + m.encode());
          marks.add(m);
        }
        cpi++;
      }
      if (allReadyAt < 0 && sum >= o.conns) allReadyAt = System.nanoTime();
      Thread.sleep(100);
      // Every child is idle now (all connected, or stuck): the last mark holds what they reached.
      if (allReadyAt < 0 && System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(3) && sum > 0 && pid != null
          && (marks.isEmpty() || marks.getJsonObject(marks.size() - 1).getLong("connections") != sum)) {
        long rss = Proc.rssKb(pid);
        JsonObject m = new JsonObject().put("connections", sum).put("seconds", Fanout.round(Fanout.secs(start))).put("serverRssKb", rss)
            .put("serverRssKbPerConnection", Fanout.round((rss - rss0) / (double) sum));
        System.out.println("checkpoint (no more progress): " + m.encode());
        marks.add(m);
      }
    }
    for (Thread t : readers) t.join(2000);
    long readySum = 0, failedSum = 0;
    double maxSecs = 0;
    boolean anyEmfile = false;
    String first = null;
    JsonArray children = new JsonArray();
    for (JsonObject r : results) {
      if (r == null) continue;
      children.add(r);
      readySum += r.getLong("ready");
      failedSum += r.getLong("failed");
      maxSecs = Math.max(maxSecs, r.getDouble("connectSeconds"));
      anyEmfile |= r.getBoolean("emfile");
      if (first == null) first = r.getString("firstFailure");
    }
    JsonObject r = new JsonObject().put("scenario", "connect").put("target", o.target).put("label", o.label).put("url", o.url)
        .put("conns", o.conns).put("users", users).put("sources", o.sources).put("procs", o.procs).put("connectConcurrency", o.connectConcurrency)
        .put("ready", readySum).put("failed", failedSum).put("emfile", anyEmfile).put("firstFailure", first)
        .put("connectSeconds", Fanout.round(maxSecs)).put("connectsPerSec", maxSecs == 0 ? 0 : Fanout.round(readySum / maxSecs))
        .put("childrenReported", children.size()).put("children", children);
    if (pid != null) {
      r.put("serverRssKbBefore", rss0).put("checkpoints", marks);
      if (!marks.isEmpty()) {
        JsonObject lastMark = marks.getJsonObject(marks.size() - 1);
        r.put("serverRssKb", lastMark.getLong("serverRssKb")).put("serverRssKbPerConnection", lastMark.getValue("serverRssKbPerConnection"));
      }
    }
    return r;
  }

  static final Table TABLE = new Table(
      new String[] {"label", "connections asked", "ready", "failed", "EMFILE", "procs", "sources", "connect s", "connects/s",
          "to ready p50 ms", "to ready p99 ms", "server us/connect", "server RSS KB", "server KB/conn"},
      new String[] {"label", "conns", "ready", "failed", "emfile", "procs", "sources", "connectSeconds", "connectsPerSec",
          "connectToReadyMs.p50.0", "connectToReadyMs.p99.0", "serverCpuUsPerConnect", "serverRssKb", "serverRssKbPerConnection"});
}
