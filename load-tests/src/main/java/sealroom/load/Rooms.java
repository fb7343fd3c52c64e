package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many rooms on Sealroom: R private groups of M members each, every member connected and
 * subscribed to its room, the first member of each room also sending; --rate messages/s in all,
 * spread evenly over the rooms. Loss is checked by seq: every seq the sender got an ack for
 * must reach every member of that room exactly once (a missing acked seq is a lost message).
 */
final class Rooms {
  private final Vertx vertx;
  private final Opts o;
  private final int users, nSubs, perRoomMax, warmupPerRoom;
  private final byte[] marker;
  private final long[][] got;              // per session: bit seq received
  private final long[] lastSeq;            // per session: last seq (informational order check)
  private final long[][] ackedSeqs;        // per room: bit seq acked (written on the sender's loop)
  private final AtomicIntegerArray ackedPerRoom;
  private final int[] sentPerRoom;         // written on the sender's loop
  private final Recorder recorder = new Recorder(3);
  private final Histogram latency = new Histogram(3);
  private final LongAdder delivered = new LongAdder(), dupes = new LongAdder(), seqBreaks = new LongAdder(), errors = new LongAdder(),
      outOfRange = new LongAdder();
  private final AtomicLong sent = new AtomicLong(), acked = new AtomicLong(), connected = new AtomicLong(), sentBytes = new AtomicLong();
  private volatile long lastRx, lastAck;
  private volatile boolean finishing;
  private byte[][][] sealed;               // --encrypted: per room, the send frames sealed before the run
  private java.util.concurrent.atomic.AtomicLongArray[] sendAt;  // --encrypted: per room, nanoTime each was written

  Rooms(Vertx vertx, Opts o) {
    this.vertx = vertx;
    this.o = o;
    this.users = Math.max(o.members, o.users > 0 ? o.users : Math.min(1000, o.rooms * o.members));
    this.nSubs = o.rooms * o.members;
    long total = (long) o.rate * (o.duration + o.warmup);
    this.perRoomMax = (int) (total / o.rooms + 2);
    this.warmupPerRoom = (int) ((long) o.rate * o.warmup / o.rooms);
    this.marker = o.encrypted ? Scan.CID_E : Scan.TS;
    int words = (perRoomMax + 1 + 63) / 64;
    this.got = new long[nSubs][words];
    this.lastSeq = new long[nSubs];
    this.ackedSeqs = new long[o.rooms][words];
    this.ackedPerRoom = new AtomicIntegerArray(o.rooms);
    this.sentPerRoom = new int[o.rooms];
  }

  JsonObject run() throws Exception {
    String pid = o.serverPid > 0 ? Long.toString(o.serverPid) : null;
    SealroomApi api = new SealroomApi(vertx, o);
    String run = "lr" + Long.toString(System.currentTimeMillis(), 36);
    long t0 = System.nanoTime();
    List<String> tokens = Async.of(api.users(run, users)).get();
    System.out.printf("setup: %d users registered and logged in in %.1f s%n", users, Fanout.secs(t0));
    long t1 = System.nanoTime();
    List<JsonObject> rooms = Async.of(SealroomApi.bounded(o.rooms, o.restConcurrency, j -> {
      List<String> others = new ArrayList<>();
      for (int i = 1; i < o.members; i++) others.add(run + "-" + member(j, i));
      return api.room(tokens.get(member(j, 0)), "p", run + "-r" + j, others, o.encrypted);
    })).get();
    String[] rid = rooms.stream().map(r -> r.getString("id")).toArray(String[]::new);
    System.out.printf("setup: %d rooms of %d members created in %.1f s%n", o.rooms, o.members, Fanout.secs(t1));
    if (o.encrypted) {
      long t2 = System.nanoTime();

      List<String> senders = new ArrayList<>();
      for (int j = 0; j < o.rooms; j++) senders.add(tokens.get(member(j, 0)));
      Sealer.uploadKeys(api, senders, o.restConcurrency);
      List<Sealer> ss = Async.bounded(o.rooms, o.restConcurrency,
          j -> Sealer.establishAsync(api, tokens.get(member(j, 0)), rid[j])).get();
      System.out.printf("encrypted: %d room keys established in %.1f s%n", o.rooms, Fanout.secs(t2));
      long t4 = System.nanoTime();
      sealed = new byte[o.rooms][][];
      sendAt = new java.util.concurrent.atomic.AtomicLongArray[o.rooms];
      String text = "x".repeat(o.size);
      for (int j = 0; j < o.rooms; j++) {
        sealed[j] = ss.get(j).preseal(rid[j], j, perRoomMax, text);
        sendAt[j] = new java.util.concurrent.atomic.AtomicLongArray(perRoomMax);
      }
      System.out.printf("encrypted: %d messages sealed and signed in %.1f s%n", (long) o.rooms * perRoomMax, Fanout.secs(t4));
    }

    WsClient client = new WsClient(o.loops, "ws-loop", o.rcvbuf);
    InetSocketAddress remote = new InetSocketAddress(o.host(), o.port());
    String hostHeader = o.host() + ":" + o.port();
    SrSession.Handler h = handler();
    SrSession[] sessions = new SrSession[nSubs];
    long rss0 = pid == null ? -1 : Proc.rssKb(pid);
    long t3 = System.nanoTime();
    Async.bounded(nSubs, o.connectConcurrency, s -> {
      int j = s / o.members, i = s % o.members;
      SrSession x = new SrSession(s, tokens.get(member(j, i)), rid[j], h);
      x.state = j;
      sessions[s] = x;
      return x.open(client, remote, null, hostHeader).subbed.thenApply(v -> { connected.incrementAndGet(); return v; });
    }).get();
    long rss1 = pid == null ? -1 : Proc.rssKb(pid);
    System.out.printf("connected: %d sessions in %.1f s (%.0f/s)%n", nSubs, Fanout.secs(t3), nSubs / Fanout.secs(t3));

    // The sender of room j is its member 0's session; each event loop sends for the rooms whose sender it serves.
    Map<EventLoop, List<Integer>> byLoop = new HashMap<>();
    for (int j = 0; j < o.rooms; j++) byLoop.computeIfAbsent(sessions[j * o.members].conn.channel().eventLoop(), k -> new ArrayList<>()).add(j);
    long progress = vertx.setPeriodic(1000, id -> progress());
    double toolCpu0 = Proc.cpuSeconds("self"), loopCpu0 = client.loopCpuSeconds(), srvCpu0 = pid == null ? -1 : Proc.cpuSeconds(pid);
    long start = System.nanoTime();
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (Map.Entry<EventLoop, List<Integer>> e : byLoop.entrySet()) senders.add(send(e.getKey(), e.getValue(), sessions, rid, start));
    CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();
    long pubEnd = System.nanoTime();
    Drain.await(() -> delivered.sum() >= (long) acked.get() * o.members && acked.get() >= sent.get(), () -> Math.max(lastRx, lastAck), pubEnd, o.drain);
    long end = Math.max(lastRx, pubEnd);
    double toolCpu = Proc.cpuSeconds("self") - toolCpu0, loopCpu = client.loopCpuSeconds() - loopCpu0;
    double srvCpu = pid == null ? -1 : Proc.cpuSeconds(pid) - srvCpu0;
    vertx.cancelTimer(progress);
    progress();
    JsonObject r = result((pubEnd - start) / 1e9, (end - start) / 1e9, toolCpu, loopCpu, srvCpu, pid, rss0, rss1);
    finishing = true;
    client.close();
    return r;
  }

  /** The user index of member i of room j: consecutive blocks, wrapping over the user pool. */
  private int member(int j, int i) { return (int) (((long) j * o.members + i) % users); }

  private SrSession.Handler handler() {
    Scan.Sink sink = (c, ts, k, b, from, to, at) -> {
      long now = System.nanoTime();
      if (sendAt != null) {
        // Encrypted: the marker gave (room, k); the sender kept the send time.
        int j = (int) ts;
        ts = j >= 0 && j < sendAt.length && k >= 0 && k < perRoomMax ? sendAt[j].get((int) k) : 0;
        if (ts == 0) return;
      }
      lastRx = now;
      if (k >= warmupPerRoom) recorder.recordValue(Math.max(0, (now - ts) / 1000));
    };
    return new SrSession.Handler() {
      @Override
      public void onMsg(SrSession s, ByteBuf b, int from, int to) {
        delivered.increment();
        Scan.marks(s.conn, b, from, to, marker, sink);
        long seq = Scan.seq(b, from, to);
        if (seq <= 0 || seq > perRoomMax) { outOfRange.increment(); return; }
        long[] bits = got[s.id];
        long m = 1L << (seq & 63);
        if ((bits[(int) (seq >> 6)] & m) != 0) { dupes.increment(); return; }
        bits[(int) (seq >> 6)] |= m;
        if (lastSeq[s.id] != 0 && seq != lastSeq[s.id] + 1) seqBreaks.increment();
        lastSeq[s.id] = seq;
      }

      @Override
      public void onAck(SrSession s, ByteBuf b, int from, int to) {
        long seq = Scan.seq(b, from, to);
        int j = (Integer) s.state;
        if (seq > 0 && seq <= perRoomMax) ackedSeqs[j][(int) (seq >> 6)] |= 1L << (seq & 63);
        else outOfRange.increment();
        ackedPerRoom.incrementAndGet(j);
        acked.incrementAndGet();
        lastAck = System.nanoTime();
      }

      @Override
      public void onError(SrSession s, String frame) {
        if (errors.sum() < 5) System.out.println("session " + s.id + ": " + frame);
        errors.increment();
      }

      @Override
      public void onClosed(SrSession s, int code, String reason) {
        if (finishing) return;
        if (errors.sum() < 5) System.out.println("session " + s.id + " closed: " + code + " " + reason);
        errors.increment();
      }
    };
  }

  /** Sends this loop's share of the rate, round robin over its rooms, from a 1 ms timer on the loop. */
  private CompletableFuture<Void> send(EventLoop loop, List<Integer> rooms, SrSession[] sessions, String[] rid, long start) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int n = rooms.size();
    double rate = (double) o.rate * n / o.rooms;
    long total = (long) Math.floor(rate * (o.duration + o.warmup));
    String pad = "x".repeat(o.size);
    long[] count = {0};
    java.util.concurrent.ScheduledFuture<?>[] task = new java.util.concurrent.ScheduledFuture<?>[1];
    boolean[] dirty = new boolean[n];
    task[0] = loop.scheduleAtFixedRate(() -> {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
      for (; count[0] < due; count[0]++) {
        int slot = (int) (count[0] % n), j = rooms.get(slot);
        int k = sentPerRoom[j]++;
        long ts = System.nanoTime();
        SrSession s = sessions[j * o.members];
        byte[] bytes;
        if (o.encrypted) {
          bytes = sealed[j][k];
          sendAt[j].set(k, ts);
        } else {
          String head = "ts=" + ts + ";k=" + k + ";";
          String text = head.length() >= o.size ? head : head + pad.substring(head.length());
          bytes = ("{\"op\":\"send\",\"room\":\"" + rid[j] + "\",\"cid\":\"r" + j + "-" + k + "\",\"text\":\"" + text + "\"}")
              .getBytes(StandardCharsets.UTF_8);
        }
        s.conn.send(bytes, false);
        sentBytes.addAndGet(bytes.length);
        dirty[slot] = true;
        sent.incrementAndGet();
      }
      for (int i = 0; i < n; i++) if (dirty[i]) { dirty[i] = false; sessions[rooms.get(i) * o.members].conn.flush(); }
      if (count[0] >= total) { task[0].cancel(false); done.complete(null); }
    }, 0, 1, TimeUnit.MILLISECONDS);
    return done;
  }

  private final long startedAt = System.nanoTime();

  private void progress() {
    synchronized (latency) {
      latency.add(recorder.getIntervalHistogram());
      System.out.printf("%5.0fs connected=%d sent=%d acked=%d delivered=%d errors=%d p50=%.1fms p99=%.1fms%n",
          Fanout.secs(startedAt), connected.get(), sent.get(), acked.get(), delivered.sum(), errors.sum(),
          latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
    }
  }

  private JsonObject result(double pubSecs, double rxSecs, double toolCpu, double loopCpu, double srvCpu, String pid, long rss0, long rss1) {
    long missing = 0, expected = 0;
    int gappy = 0;
    for (int s = 0; s < nSubs; s++) {
      long[] a = ackedSeqs[s / o.members], g = got[s];
      long miss = 0;
      for (int w = 0; w < a.length; w++) { miss += Long.bitCount(a[w] & ~g[w]); expected += Long.bitCount(a[w]); }
      missing += miss;
      if (miss > 0) gappy++;
    }
    JsonObject r = new JsonObject().put("scenario", "rooms").put("target", o.target).put("label", o.label).put("url", o.url)
        .put("rooms", o.rooms).put("members", o.members).put("users", users).put("sessions", nSubs).put("encrypted", o.encrypted)
        .put("rate", o.rate).put("size", o.size).put("duration", o.duration).put("warmup", o.warmup)
        .put("connected", connected.get()).put("sent", sent.get()).put("acked", acked.get())
        .put("offeredMsgsPerSec", Fanout.round(sent.get() / pubSecs)).put("storedMsgsPerSec", Fanout.round(acked.get() / rxSecs))
        .put("deliveriesPerSec", Fanout.round(delivered.sum() / rxSecs))
        .put("expectedDeliveries", expected).put("missing", missing).put("duplicates", dupes.sum())
        .put("subscribersWithGaps", gappy).put("seqBreaks", seqBreaks.sum()).put("seqOutOfRange", outOfRange.sum()).put("errors", errors.sum())
        .put("avgSendFrameBytes", sent.get() == 0 ? null : sentBytes.get() / sent.get());
    synchronized (latency) {
      latency.add(recorder.getIntervalHistogram());
      JsonObject l = new JsonObject();
      for (double p : new double[] {50, 90, 99, 99.9}) l.put("p" + p, Fanout.round(latency.getValueAtPercentile(p) / 1000.0));
      r.put("latencyMs", l.put("max", Fanout.round(latency.getMaxValue() / 1000.0)).put("count", latency.getTotalCount()));
    }
    r.put("toolCpuPct", Fanout.round(100 * toolCpu / rxSecs)).put("toolLoops", o.loops).put("toolLoopCpuPct", Fanout.round(100 * loopCpu / rxSecs));
    if (pid != null) {
      r.put("serverCpuPct", Fanout.round(100 * srvCpu / rxSecs))
          .put("serverUsPerDelivery", delivered.sum() == 0 ? null : Fanout.round(srvCpu * 1e6 / delivered.sum()))
          .put("serverRssKb", Proc.rssKb(pid))
          .put("serverRssKbPerConnection", Fanout.round((rss1 - rss0) / (double) nSubs));
    }
    return r;
  }

  static final Table TABLE = new Table(
      new String[] {"label", "rooms", "members", "msg/s offered", "msg/s stored", "deliveries/s", "missing", "dup", "p50 ms", "p90 ms",
          "p99 ms", "p99.9 ms", "max ms", "errors", "server CPU %", "server us/delivery", "tool CPU %"},
      new String[] {"label", "rooms", "members", "offeredMsgsPerSec", "storedMsgsPerSec", "deliveriesPerSec", "missing", "duplicates",
          "latencyMs.p50.0", "latencyMs.p90.0", "latencyMs.p99.0", "latencyMs.p99.9", "latencyMs.max", "errors", "serverCpuPct",
          "serverUsPerDelivery", "toolCpuPct"});
}
