package sealroom.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One room, N subscribers, one publisher at a fixed rate. Every message text starts with
 * "ts=<nanoTime>;k=<number>;": the tool sends and receives, so one clock measures the latency,
 * and k lets each subscriber check that it got every message exactly once.
 */
final class Fanout {
  private static final byte[] MARK = "ts=".getBytes();
  private static final byte[] SEQ = "\"seq\":".getBytes();

  private final Vertx vertx;
  private final Opts o;
  private final boolean sealroom;
  private final WebSocketClient ws;
  private final int total;                 // messages the publisher will send
  private final int warmupMsgs;            // messages k < warmupMsgs are not in the latency histogram
  private final long[][] seen;             // per subscriber: bit k = message k received
  private final AtomicIntegerArray distinct;
  private final int[] maxK;                // per subscriber, written only on its connection's event loop
  private final long[] lastSeq;            // per subscriber: last room seq seen (Sealroom), same thread rule
  private final Recorder recorder = new Recorder(3);
  private final Histogram latency = new Histogram(3);
  private final LongAdder delivered = new LongAdder(), dupes = new LongAdder(), reordered = new LongAdder(), seqBreaks = new LongAdder(),
      errors = new LongAdder(), other = new LongAdder();
  private final AtomicLong connected = new AtomicLong(), sent = new AtomicLong(), acked = new AtomicLong();
  private volatile long lastRx, lastAck;

  Fanout(Vertx vertx, Opts o) {
    this.vertx = vertx;
    this.o = o;
    this.sealroom = o.target.equals("sealroom");
    // The client's default of 50 connections per host would silently queue every connect after the 50th.
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(o.subs + 16)
        .setTryUsePerMessageCompression(false).setConnectTimeout(30_000).setDefaultHost(o.host()).setDefaultPort(o.port()));
    this.total = o.rate * (o.duration + o.warmup);
    this.warmupMsgs = o.rate * o.warmup;
    this.seen = new long[o.subs][(total + 63) / 64];
    this.distinct = new AtomicIntegerArray(o.subs);
    this.maxK = new int[o.subs];
    this.lastSeq = new long[o.subs];
    java.util.Arrays.fill(maxK, -1);
  }

  JsonObject run() throws Exception {
    String pid = o.serverPid > 0 ? Long.toString(o.serverPid) : null;
    String room = "load";
    String ownerToken = null;
    List<String> tokens = null;
    long t0 = System.nanoTime();
    if (sealroom) {
      SealroomApi.Setup s = await(new SealroomApi(vertx, o).setup(o.subs));
      room = s.roomId();
      ownerToken = s.ownerToken();
      tokens = s.subTokens();
      System.out.printf("setup: %d users registered, logged in and joined in %.1f s%n", o.subs + 1, secs(t0));
    }
    long rssBefore = pid == null ? -1 : Proc.rssKb(pid);
    long t1 = System.nanoTime();
    final String rid = room;
    final List<String> toks = tokens;
    await(SealroomApi.bounded(o.subs, o.connectConcurrency, i -> subscribe(i, rid, toks == null ? null : toks.get(i))));
    long rssAfter = pid == null ? -1 : Proc.rssKb(pid);
    System.out.printf("connected: %d subscribers in %.1f s%n", connected.get(), secs(t1));
    WebSocket pub = await(publisher(rid, ownerToken));

    long progress = vertx.setPeriodic(1000, id -> progress());
    double toolCpu0 = Proc.cpuSeconds("self"), srvCpu0 = pid == null ? -1 : Proc.cpuSeconds(pid);
    long start = System.nanoTime();
    await(publish(pub, rid, start));
    long pubEnd = System.nanoTime();
    // Drain while the server still makes progress, so that an overloaded server's backlog is
    // counted as late, not lost; acks can trail the last send, so wait for them too.
    long hardEnd = pubEnd + TimeUnit.SECONDS.toNanos(60), idle = TimeUnit.SECONDS.toNanos(o.drain);
    while (delivered.sum() < expected() || (sealroom && acked.get() < sent.get())) {
      long now = System.nanoTime();
      if (now > hardEnd || now - Math.max(pubEnd, Math.max(lastRx, lastAck)) > idle) break;
      Thread.sleep(20);
    }
    long end = Math.max(lastRx, pubEnd);
    double toolCpu = Proc.cpuSeconds("self") - toolCpu0, srvCpu = pid == null ? -1 : Proc.cpuSeconds(pid) - srvCpu0;
    vertx.cancelTimer(progress);
    progress();
    return result((pubEnd - start) / 1e9, (end - start) / 1e9, toolCpu, srvCpu, pid, rssBefore, rssAfter);
  }

  private long expected() { return (sealroom ? acked.get() : sent.get()) * o.subs; }

  private Future<Void> subscribe(int i, String room, String token) {
    WebSocketConnectOptions co = new WebSocketConnectOptions().setAllowOriginHeader(false)
        .setURI(sealroom ? "/ws" : "/sub?room=" + room);
    Promise<Void> ready = Promise.promise();
    return ws.connect(co).compose(s -> {
      s.frameHandler(f -> {
        // Vert.x answers close and ping frames itself but shows them here too.
        if (!f.isText() && !f.isBinary() && !f.isContinuation()) return;
        Buffer b = f.binaryData();
        if (scan(i, b)) return;
        // Not a message: a control frame of the Sealroom handshake (rare, so JSON is fine here).
        String op = sealroom ? b.toJsonObject().getString("op", "") : "";
        if (op.equals("ready")) s.writeTextMessage(new JsonObject().put("op", "sub").put("room", room).encode());
        else if (op.equals("subbed")) ready.tryComplete();
        else if (op.equals("error")) { errors.increment(); ready.tryFail("sub " + i + ": " + b); }
        else other.increment();
      });
      s.closeHandler(v -> { if (ready.tryFail("subscriber " + i + " closed: " + s.closeStatusCode() + " " + s.closeReason())) return; errors.increment(); });
      if (sealroom) s.writeTextMessage(new JsonObject().put("op", "auth").put("token", token).encode());
      else ready.tryComplete();
      return ready.future();
    }).onSuccess(v -> connected.incrementAndGet());
  }

  /** Finds "ts=<nanos>;k=<n>;" in a received frame without decoding it; false when there is none. */
  private boolean scan(int sub, Buffer b) {
    long now = System.nanoTime();
    int n = b.length();
    for (int p = 0; p + 3 < n; p++) {
      if (b.getByte(p) != MARK[0] || b.getByte(p + 1) != MARK[1] || b.getByte(p + 2) != MARK[2]) continue;
      long ts = 0, k = 0;
      int q = p + 3;
      byte c;
      while (q < n && (c = b.getByte(q)) >= '0' && c <= '9') { ts = ts * 10 + (c - '0'); q++; }
      q += 3; // ";k="
      while (q < n && (c = b.getByte(q)) >= '0' && c <= '9') { k = k * 10 + (c - '0'); q++; }
      record(sub, (int) k, now - ts, now);
      if (sealroom) checkSeq(sub, b, p);
      return true;
    }
    return false;
  }

  /**
   * Counts frames whose seq is not the last one + 1. Sealroom may publish two sends stored at the
   * same time in the opposite order (protocol.md, "Live order"), so this is informational; gaps and
   * duplicates are what the k bitset catches.
   */
  private void checkSeq(int sub, Buffer b, int end) {
    for (int p = 0; p + SEQ.length < end; p++) {
      int j = 0;
      while (j < SEQ.length && b.getByte(p + j) == SEQ[j]) j++;
      if (j < SEQ.length) continue;
      long seq = 0;
      byte c;
      for (int q = p + j; q < end && (c = b.getByte(q)) >= '0' && c <= '9'; q++) seq = seq * 10 + (c - '0');
      if (lastSeq[sub] != 0 && seq != lastSeq[sub] + 1) seqBreaks.increment();
      lastSeq[sub] = seq;
      return;
    }
    seqBreaks.increment(); // a msg frame without a seq
  }

  private void record(int sub, int k, long nanos, long now) {
    lastRx = now;
    delivered.increment();
    // The first seconds run while the JITs of both sides warm up: checked for loss, kept out of the latency.
    if (k >= warmupMsgs) recorder.recordValue(Math.max(0, nanos / 1000));
    if (k < 0 || k >= total) { errors.increment(); return; }
    long[] bits = seen[sub];
    long m = 1L << (k & 63);
    if ((bits[k >> 6] & m) != 0) { dupes.increment(); return; }
    bits[k >> 6] |= m;
    distinct.incrementAndGet(sub);
    if (k < maxK[sub]) reordered.increment(); else maxK[sub] = k;
  }

  private Future<WebSocket> publisher(String room, String token) {
    WebSocketConnectOptions co = new WebSocketConnectOptions().setAllowOriginHeader(false)
        .setURI(sealroom ? "/ws" : "/pub?room=" + room);
    return ws.connect(co).compose(s -> {
      if (!sealroom) return Future.succeededFuture(s);
      Promise<WebSocket> ready = Promise.promise();
      s.textMessageHandler(t -> {
        if (t.startsWith("{\"op\":\"ack\"")) { acked.incrementAndGet(); lastAck = System.nanoTime(); }
        else if (t.startsWith("{\"op\":\"ready\"")) ready.tryComplete(s);
        else if (t.startsWith("{\"op\":\"error\"")) {
          if (errors.sum() < 5) System.out.println("publisher error: " + t);
          errors.increment();
        }
      });
      s.closeHandler(v -> { errors.increment(); System.out.println("publisher closed: " + s.closeStatusCode() + " " + s.closeReason()); });
      s.writeTextMessage(new JsonObject().put("op", "auth").put("token", token).encode());
      return ready.future();
    });
  }

  /** Sends at the offered rate from a 1 ms timer; the timestamp is taken when each frame is written. */
  private Future<Void> publish(WebSocket pub, String room, long start) {
    Promise<Void> done = Promise.promise();
    String pad = "x".repeat(o.size);
    vertx.setPeriodic(1, id -> {
      long due = Math.min(total, (System.nanoTime() - start) * o.rate / 1_000_000_000L);
      for (long k = sent.get(); k < due; k++) {
        String head = "ts=" + System.nanoTime() + ";k=" + k + ";";
        String text = head.length() >= o.size ? head : head + pad.substring(head.length());
        String frame = sealroom
            ? "{\"op\":\"send\",\"room\":\"" + room + "\",\"cid\":\"p" + k + "\",\"text\":\"" + text + "\"}"
            : "{\"m\":\"" + text + "\"}";
        pub.writeTextMessage(frame).onFailure(e -> errors.increment());
        sent.incrementAndGet();
      }
      if (sent.get() >= total) { vertx.cancelTimer(id); done.tryComplete(); }
    });
    return done.future();
  }

  private final long startedAt = System.nanoTime();

  private void progress() {
    synchronized (latency) {
      latency.add(recorder.getIntervalHistogram());
      System.out.printf("%5.0fs connected=%d sent=%d acked=%d delivered=%d errors=%d p50=%.1fms p99=%.1fms%n",
          secs(startedAt), connected.get(), sent.get(), acked.get(), delivered.sum(), errors.sum(),
          latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
    }
  }

  private JsonObject result(double pubSecs, double rxSecs, double toolCpu, double srvCpu, String pid, long rss0, long rss1) {
    long exp = expected(), got = 0;
    int gappy = 0;
    long base = sealroom ? acked.get() : sent.get();
    for (int i = 0; i < o.subs; i++) {
      got += distinct.get(i);
      if (distinct.get(i) != base) gappy++;
    }
    JsonObject r = new JsonObject().put("scenario", "fanout").put("target", o.target).put("label", o.label)
        .put("url", o.url).put("subs", o.subs).put("rate", o.rate).put("size", o.size).put("duration", o.duration).put("warmup", o.warmup)
        .put("connected", connected.get()).put("sent", sent.get()).put("acked", acked.get())
        .put("offeredMsgsPerSec", round(sent.get() / pubSecs)).put("deliveredMsgsPerSec", round(got / (double) o.subs / rxSecs))
        .put("deliveriesPerSec", round(delivered.sum() / rxSecs))
        .put("expectedDeliveries", exp).put("distinctDeliveries", got).put("missing", exp - got)
        .put("duplicates", dupes.sum()).put("outOfSendOrder", reordered.sum()).put("seqBreaks", seqBreaks.sum()).put("subscribersWithGaps", gappy)
        .put("errors", errors.sum()).put("otherFrames", other.sum());
    synchronized (latency) {
      JsonObject l = new JsonObject();
      for (double p : new double[] {50, 90, 99, 99.9}) l.put("p" + p, round(latency.getValueAtPercentile(p) / 1000.0));
      r.put("latencyMs", l.put("max", round(latency.getMaxValue() / 1000.0)).put("count", latency.getTotalCount()));
    }
    r.put("toolCpuPct", round(100 * toolCpu / rxSecs));
    if (pid != null) {
      r.put("serverCpuPct", round(100 * srvCpu / rxSecs))
          .put("serverUsPerDelivery", delivered.sum() == 0 ? null : round(srvCpu * 1e6 / delivered.sum()))
          .put("serverRssKb", Proc.rssKb(pid))
          .put("serverRssKbPerConnection", round((rss1 - rss0) / (double) o.subs));
    }
    return r;
  }

  private static double round(double v) { return Math.round(v * 100) / 100.0; }

  private static double secs(long since) { return (System.nanoTime() - since) / 1e9; }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
