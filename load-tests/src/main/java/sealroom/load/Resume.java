package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reconnect storm on Sealroom: N subscribers of one room get a few live messages, all
 * disconnect, K messages are sent while they are away, then all reconnect at once (at most
 * --connect-concurrency handshakes in flight) with sub since = the last seq each one saw. Each
 * subscriber's catch-up time runs from the start of the storm until it holds every seq up to the
 * last acked one; every seq in (since, head] must arrive exactly once and none at or below since.
 */
final class Resume {
  private static final int LIVE = 5;

  private final Vertx vertx;
  private final Opts o;
  private final long[][] got;
  private final long[] lastSeq, since, caughtUpAt;
  private final int[] count;
  private volatile long target = Long.MAX_VALUE, stormStart;
  private final LongAdder dupes = new LongAdder(), belowSince = new LongAdder(), errors = new LongAdder(), frames = new LongAdder();
  private final AtomicLong caughtUp = new AtomicLong(), acked = new AtomicLong(), maxAckSeq = new AtomicLong();
  private volatile boolean finishing;

  Resume(Vertx vertx, Opts o) {
    this.vertx = vertx;
    this.o = o;
    int words = (LIVE + o.messages + 2 + 63) / 64 + 1;
    got = new long[o.subs][words];
    lastSeq = new long[o.subs];
    since = new long[o.subs];
    caughtUpAt = new long[o.subs];
    count = new int[o.subs];
  }

  JsonObject run() throws Exception {
    String pid = o.serverPid > 0 ? Long.toString(o.serverPid) : null;
    SealroomApi api = new SealroomApi(vertx, o);
    long t0 = System.nanoTime();
    SealroomApi.Setup s = Async.of(api.setup(o.subs)).get();
    System.out.printf("setup: %d users registered, logged in and joined in %.1f s%n", o.subs + 1, Fanout.secs(t0));
    WsClient client = new WsClient(o.loops, "ws-loop", o.rcvbuf);
    InetSocketAddress remote = new InetSocketAddress(o.host(), o.port());
    String hostHeader = o.host() + ":" + o.port();
    SrSession.Handler h = handler();
    SrSession[] subs = new SrSession[o.subs];
    Async.bounded(o.subs, o.connectConcurrency, i -> {
      subs[i] = new SrSession(i, s.subTokens().get(i), s.roomId(), h);
      return subs[i].open(client, remote, null, hostHeader).subbed;
    }).get();
    SrSession pub = new SrSession(-1, s.ownerToken(), null, h).open(client, remote, null, hostHeader);
    pub.ready.get(30, TimeUnit.SECONDS);

    // A few live messages, so that every subscriber has a since > 0.
    send(pub, s.roomId(), 0, LIVE);
    waitFor(() -> acked.get() >= LIVE && allAt(maxAckSeq.get()), 30);
    System.out.printf("live: %d messages reached all %d subscribers%n", LIVE, o.subs);

    for (SrSession x : subs) x.conn.abort();
    waitFor(() -> { for (SrSession x : subs) if (x.conn.channel().isActive()) return false; return true; }, 30);
    long t1 = System.nanoTime();
    send(pub, s.roomId(), LIVE, o.messages);
    waitFor(() -> acked.get() >= LIVE + o.messages, 60);
    target = maxAckSeq.get();
    System.out.printf("away: %d messages sent and acked in %.1f s (head %d)%n", o.messages, Fanout.secs(t1), target);

    double srvCpu0 = pid == null ? -1 : Proc.cpuSeconds(pid), toolCpu0 = Proc.cpuSeconds("self");
    stormStart = System.nanoTime();
    CompletableFuture<List<SrSession>> storm = Async.bounded(o.subs, o.connectConcurrency, i -> {
      SrSession x = new SrSession(i, s.subTokens().get(i), s.roomId(), h);
      since[i] = lastSeq[i];
      x.since = lastSeq[i];
      subs[i] = x;
      return x.open(client, remote, null, hostHeader).subbed;
    });
    long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long lastProgress = 0, lastCount = -1, lastChange = System.nanoTime();
    while (caughtUp.get() < o.subs && System.nanoTime() < hard) {
      Thread.sleep(20);
      long c = caughtUp.get() + frames.sum();
      if (c != lastCount) { lastCount = c; lastChange = System.nanoTime(); }
      else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(o.drain) && storm.isDone()) break;
      if (System.nanoTime() - lastProgress > 1_000_000_000L) {
        lastProgress = System.nanoTime();
        System.out.printf("%5.1fs caught up=%d/%d frames=%d errors=%d%n", Fanout.secs(stormStart), caughtUp.get(), o.subs, frames.sum(), errors.sum());
      }
    }
    double stormSecs = Fanout.secs(stormStart);
    double srvCpu = pid == null ? -1 : Proc.cpuSeconds(pid) - srvCpu0, toolCpu = Proc.cpuSeconds("self") - toolCpu0;
    if (storm.isCompletedExceptionally()) {
      try { storm.get(); } catch (Exception e) { System.out.println("storm: " + e.getCause()); errors.increment(); }
    }

    Histogram hist = new Histogram(3);
    long missing = 0, expected = 0;
    int gappy = 0;
    for (int i = 0; i < o.subs; i++) {
      if (caughtUpAt[i] > 0) hist.recordValue(Math.max(0, (caughtUpAt[i] - stormStart) / 1000));
      long miss = 0;
      for (long q = since[i] + 1; q <= target; q++) {
        expected++;
        if ((got[i][(int) (q >> 6)] & (1L << (q & 63))) == 0) miss++;
      }
      missing += miss;
      if (miss > 0) gappy++;
    }
    JsonObject lat = new JsonObject();
    for (double p : new double[] {50, 90, 99}) lat.put("p" + p, Fanout.round(hist.getValueAtPercentile(p) / 1000.0));
    lat.put("max", Fanout.round(hist.getMaxValue() / 1000.0));
    JsonObject r = new JsonObject().put("scenario", "resume").put("target", o.target).put("label", o.label).put("url", o.url)
        .put("subs", o.subs).put("messages", o.messages).put("size", o.size).put("connectConcurrency", o.connectConcurrency)
        .put("head", target).put("caughtUp", caughtUp.get()).put("stormSeconds", Fanout.round(stormSecs))
        .put("catchUpMs", lat).put("expectedDeliveries", expected).put("missing", missing).put("duplicates", dupes.sum())
        .put("belowSince", belowSince.sum()).put("subscribersWithGaps", gappy).put("errors", errors.sum())
        .put("deliveriesPerSec", Fanout.round(expected / stormSecs))
        .put("toolCpuPct", Fanout.round(100 * toolCpu / stormSecs));
    if (pid != null) {
      r.put("serverCpuPct", Fanout.round(100 * srvCpu / stormSecs))
          .put("serverUsPerDelivery", expected == 0 ? null : Fanout.round(srvCpu * 1e6 / expected)).put("serverRssKb", Proc.rssKb(pid));
    }
    finishing = true;
    client.close();
    return r;
  }

  private boolean allAt(long seq) {
    if (seq <= 0) return false;
    for (long l : lastSeq) if (l < seq) return false;
    return true;
  }

  private void send(SrSession pub, String room, int from, int n) {
    String pad = "x".repeat(o.size);
    pub.conn.channel().eventLoop().execute(() -> {
      for (int k = from; k < from + n; k++) {
        String head = "ts=" + System.nanoTime() + ";k=" + k + ";";
        String text = head.length() >= o.size ? head : head + pad.substring(head.length());
        pub.conn.send(("{\"op\":\"send\",\"room\":\"" + room + "\",\"cid\":\"s" + k + "\",\"text\":\"" + text + "\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      }
      pub.conn.flush();
    });
  }

  private SrSession.Handler handler() {
    return new SrSession.Handler() {
      @Override
      public void onMsg(SrSession s, ByteBuf b, int from, int to) {
        frames.increment();
        int i = s.id;
        long seq = Scan.seq(b, from, to);
        if (seq <= 0 || (seq >> 6) >= got[i].length) { errors.increment(); return; }
        if (seq <= since[i] && s.since >= 0) { belowSince.increment(); return; }
        long m = 1L << (seq & 63);
        if ((got[i][(int) (seq >> 6)] & m) != 0) { dupes.increment(); return; }
        got[i][(int) (seq >> 6)] |= m;
        count[i]++;
        if (seq > lastSeq[i]) lastSeq[i] = seq;
        long t = target;
        if (t != Long.MAX_VALUE && caughtUpAt[i] == 0 && lastSeq[i] >= t) {
          if (complete(i, t)) { caughtUpAt[i] = System.nanoTime(); caughtUp.incrementAndGet(); }
        }
      }

      @Override
      public void onAck(SrSession s, ByteBuf b, int from, int to) {
        long seq = Scan.seq(b, from, to);
        maxAckSeq.accumulateAndGet(seq, Math::max);
        acked.incrementAndGet();
      }

      @Override
      public void onError(SrSession s, String frame) {
        if (errors.sum() < 5) System.out.println("session " + s.id + ": " + frame);
        errors.increment();
      }

      @Override
      public void onClosed(SrSession s, int code, String reason) {
        if (finishing || s.id < 0 || stormStart == 0) return;
        if (errors.sum() < 5) System.out.println("session " + s.id + " closed: " + code + " " + reason);
        errors.increment();
      }
    };
  }

  /** True when subscriber i holds every seq in (since, t]. */
  private boolean complete(int i, long t) {
    for (long q = since[i] + 1; q <= t; q++) if ((got[i][(int) (q >> 6)] & (1L << (q & 63))) == 0) return false;
    return true;
  }

  private static void waitFor(java.util.function.BooleanSupplier c, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) throw new IllegalStateException("timed out after " + seconds + " s");
      Thread.sleep(10);
    }
  }

  static final Table TABLE = new Table(
      new String[] {"label", "subs", "messages away", "caught up", "storm s", "catch-up p50 ms", "p90 ms", "p99 ms", "max ms", "missing",
          "dup", "errors", "server CPU %", "tool CPU %"},
      new String[] {"label", "subs", "messages", "caughtUp", "stormSeconds", "catchUpMs.p50.0", "catchUpMs.p90.0", "catchUpMs.p99.0",
          "catchUpMs.max", "missing", "duplicates", "errors", "serverCpuPct", "toolCpuPct"});
}
