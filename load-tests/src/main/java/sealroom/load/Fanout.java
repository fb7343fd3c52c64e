package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One room, N subscribers, one publisher at a fixed rate. Every message text starts with
 * "ts=<nanoTime>;k=<number>;" (an encrypted message, sealed before the run, carries k in its cid,
 * "e0-<k>", and the publisher keeps its send time):
 * the tool sends and receives, so one clock measures the latency, and k lets each subscriber
 * check that it got every message exactly once. Sockets are the tool's own Netty client
 * ({@link WsClient}); frames are byte-scanned, never parsed into a JSON tree.
 *
 * <p>The cluster scenario is the same run over several nodes ({@link NodeSet}): subscribers are
 * spread round robin, the publisher sends through the first node, and loss is checked per
 * subscriber whichever node it is on.
 */
final class Fanout {
  private final Vertx vertx;
  private final Opts o;
  private final boolean sealroom;
  private final Peer peer;
  private final byte[] marker;
  private final int total;                 // messages the publisher will send
  private final int warmupMsgs;            // messages k < warmupMsgs are not in the latency histogram
  private final Tally tally;
  private final NodeSet nodes;
  private final LongAdder delivered = new LongAdder(), errors = new LongAdder(), other = new LongAdder();
  private final AtomicLong connected = new AtomicLong(), sent = new AtomicLong(), acked = new AtomicLong(), sentBytes = new AtomicLong();
  private volatile long lastRx, lastAck;
  private volatile boolean finishing;
  private WsClient client;
  private Sealer sealer;
  private byte[][] sealed;                 // --encrypted: the send frames, sealed before the run
  private java.util.concurrent.atomic.AtomicLongArray sendAt;  // --encrypted: nanoTime each was written

  Fanout(Vertx vertx, Opts o) {
    this.vertx = vertx;
    this.o = o;
    this.sealroom = o.target.equals("sealroom");
    this.peer = sealroom ? null : Peer.of(o.target, o.room, o.natsPubPort);
    this.marker = o.encrypted ? Scan.CID_E : Scan.TS;
    this.total = o.rate * (o.duration + o.warmup);
    this.warmupMsgs = o.rate * o.warmup;
    this.tally = new Tally(o.subs, total, sealroom);
    this.nodes = NodeSet.of(o);
  }

  JsonObject run() throws Exception {
    String room = o.room;
    String ownerToken = null;
    List<String> tokens = null;
    long t0 = System.nanoTime();
    if (sealroom) {
      SealroomApi api = new SealroomApi(vertx, o);
      SealroomApi.Setup s = Async.of(api.setup(o.subs)).get();
      room = s.roomId();
      ownerToken = s.ownerToken();
      tokens = s.subTokens();
      System.out.printf("setup: %d users registered, logged in and joined in %.1f s%n", o.subs + 1, secs(t0));
      if (o.encrypted) {
        sealer = Sealer.establish(api, s.ownerToken(), room);
        System.out.printf("encrypted: room key %s established by the sender in %.1f s%n", sealer.kid(), secs(t0));
        long t2 = System.nanoTime();
        sealed = sealer.preseal(room, 0, total, "x".repeat(o.size));
        sendAt = new java.util.concurrent.atomic.AtomicLongArray(total);
        System.out.printf("encrypted: %d messages sealed and signed in %.1f s%n", total, secs(t2));
      }
    }
    client = new WsClient(o.loops, "ws-loop", o.rcvbuf);
    nodes.rssBefore();
    long t1 = System.nanoTime();
    final String rid = room;
    final List<String> toks = tokens;
    Async.bounded(o.subs, o.connectConcurrency, i -> subscribe(i, rid, toks == null ? null : toks.get(i))).get();
    nodes.rssAfter();
    System.out.printf("connected: %d subscribers in %.1f s%s%n", connected.get(), secs(t1), nodes.size() == 1 ? ""
        : " over " + nodes.size() + " nodes, the publisher on " + nodes.publisher().url);
    if (o.settle > 0) {
      System.out.printf("settle: %d s before publishing%n", o.settle);
      Thread.sleep(o.settle * 1000L);
    }
    Outlet pub = peer != null && peer.tcpPublishPort() > 0 ? tcpPublisher() : publisher(rid, ownerToken).get(30, TimeUnit.SECONDS);

    long progress = vertx.setPeriodic(1000, id -> progress());
    double toolCpu0 = Proc.cpuSeconds("self"), loopCpu0 = client.loopCpuSeconds(), machine0 = Proc.machineCpuSeconds();
    nodes.startCpu();
    long start = System.nanoTime();
    publish(pub, rid, start).get();
    long pubEnd = System.nanoTime();
    // Drain while the server still makes progress, so that an overloaded server's backlog is
    // counted as late, not lost; acks can trail the last send, so wait for them too.
    Drain.await(() -> delivered.sum() >= expected() && (!sealroom || acked.get() >= sent.get()), () -> Math.max(lastRx, lastAck), pubEnd, o.drain);
    long end = Math.max(lastRx, pubEnd);
    double toolCpu = Proc.cpuSeconds("self") - toolCpu0, loopCpu = client.loopCpuSeconds() - loopCpu0;
    double srvCpu = nodes.cpuSeconds(), machine = Proc.machineCpuSeconds() - machine0;
    vertx.cancelTimer(progress);
    progress();
    JsonObject r = result((pubEnd - start) / 1e9, (end - start) / 1e9, toolCpu, loopCpu, srvCpu);
    putMachine(r, (end - start) / 1e9, machine0 < 0 ? -1 : machine, toolCpu, srvCpu);
    finishing = true;
    client.close();
    return r;
  }

  private long expected() { return (sealroom ? acked.get() : sent.get()) * o.subs; }

  private final Scan.Sink sink = this::onMark;

  private void onMark(WsConn c, long ts, long k, ByteBuf b, int from, int to, int at) {
    long now = System.nanoTime();
    if (sendAt != null) ts = k >= 0 && k < total ? sendAt.get((int) k) : now;
    record(c.id, (int) k, now - ts, now);
  }

  private CompletableFuture<Void> subscribe(int i, String room, String token) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    WsConn.Listener l = new WsConn.Listener() {
      @Override
      public void onOpen(WsConn c) {
        if (sealroom) c.send("{\"op\":\"auth\",\"token\":\"" + token + "\"}");
        else if (peer.subOpen(c)) ready.complete(null);
      }

      @Override
      public void onMessage(WsConn c, ByteBuf b, int from, int len) {
        if (peer != null && peer.streamed()) { streamed(c, b, from, len); return; }
        frame(c, b, from, len);
      }

      /**
       * NATS sends a byte stream cut into frames where it likes: only complete lines are
       * scanned, and the bytes after the last newline wait for the next frame.
       */
      private void streamed(WsConn c, ByteBuf b, int from, int len) {
        ByteBuf carry = (ByteBuf) c.attachment;
        if (carry != null && carry.isReadable()) {
          carry.writeBytes(b, from, len);
          b = carry;
          from = carry.readerIndex();
          len = carry.readableBytes();
        }
        int end = from + len, nl = end - 1;
        while (nl >= from && b.getByte(nl) != '\n') nl--;
        if (nl >= from) frame(c, b, from, nl + 1 - from);
        int tail = end - (nl + 1);
        if (b == carry) {
          carry.readerIndex(nl + 1);
          carry.discardReadBytes();
        } else if (tail > 0) {
          if (carry == null) c.attachment = carry = io.netty.buffer.Unpooled.buffer(256);
          carry.writeBytes(b, nl + 1, tail);
        }
      }

      private void frame(WsConn c, ByteBuf b, int from, int len) {
        int to = from + len;
        if (Scan.marks(c, b, from, to, marker, sink) > 0) {
          if (sealroom) tally.seq(c.id, b, from, to);
          else if (peer.scanMessageFrames()) peer.control(c, b, from, len);
          return;
        }
        if (!sealroom) {
          switch (peer.control(c, b, from, len)) {
            case READY -> ready.complete(null);
            case ERROR -> { errors.increment(); ready.completeExceptionally(new IllegalStateException("subscriber " + i + " refused")); }
            default -> other.increment();
          }
          return;
        }
        // Not a message: a frame of the Sealroom handshake (rare, so a String is fine here).
        if (Scan.startsWith(b, from, to, "{\"op\":\"ready\"")) c.send("{\"op\":\"sub\",\"room\":\"" + room + "\"}");
        else if (Scan.startsWith(b, from, to, "{\"op\":\"subbed\"")) ready.complete(null);
        else if (Scan.startsWith(b, from, to, "{\"op\":\"error\"")) {
          errors.increment();
          ready.completeExceptionally(new IllegalStateException("sub " + i + ": " + b.toString(from, len, StandardCharsets.UTF_8)));
        } else other.increment();
      }

      @Override
      public void onClose(WsConn c, int code, String reason) {
        if (ready.completeExceptionally(new IllegalStateException("subscriber " + i + " closed: " + code + " " + reason)) || finishing) return;
        errors.increment();
        if (errors.sum() < 5) System.out.println("subscriber " + i + " closed: " + code + " " + reason);
      }
    };
    NodeSet.Node n = nodes.of(i);
    WsConn c = client.connect(n.address, null, new WsConn(i, n.hostHeader, sealroom ? "/ws" : peer.subPath(), "", l));
    c.opened.whenComplete((v, e) -> { if (e != null) ready.completeExceptionally(e); });
    return ready.thenRun(connected::incrementAndGet);
  }

  private void record(int sub, int k, long nanos, long now) {
    lastRx = now;
    delivered.increment();
    NodeSet.Node node = nodes.of(sub);
    node.delivered.increment();
    // The first seconds run while the JITs of both sides warm up: checked for loss, kept out of the latency.
    if (k >= warmupMsgs) node.recorder.recordValue(Math.max(0, nanos / 1000));
    if (k < 0 || k >= total) { errors.increment(); return; }
    if (!tally.received(sub, k)) node.dupes.increment();
  }

  private CompletableFuture<WsConn> publisher(String room, String token) {
    CompletableFuture<WsConn> ready = new CompletableFuture<>();
    WsConn.Listener l = new WsConn.Listener() {
      @Override
      public void onOpen(WsConn c) {
        if (sealroom) c.send("{\"op\":\"auth\",\"token\":\"" + token + "\"}");
        else { peer.pubOpen(c); ready.complete(c); }
      }

      @Override
      public void onMessage(WsConn c, ByteBuf b, int from, int len) {
        int to = from + len;
        if (!sealroom) {
          if (peer.control(c, b, from, len) == Peer.Control.ERROR) errors.increment();
          return;
        }
        if (Scan.startsWith(b, from, to, "{\"op\":\"ack\"")) {
          long seq = Scan.seq(b, from, to);
          tally.acked(seq);
          acked.incrementAndGet();
          lastAck = System.nanoTime();
        }
        else if (Scan.startsWith(b, from, to, "{\"op\":\"ready\"")) ready.complete(c);
        else if (Scan.startsWith(b, from, to, "{\"op\":\"error\"")) {
          if (errors.sum() < 5) System.out.println("publisher error: " + b.toString(from, len, StandardCharsets.UTF_8));
          errors.increment();
        }
      }

      @Override
      public void onClose(WsConn c, int code, String reason) {
        if (ready.completeExceptionally(new IllegalStateException("publisher closed: " + code + " " + reason)) || finishing) return;
        errors.increment();
        System.out.println("publisher closed: " + code + " " + reason);
      }
    };
    NodeSet.Node n = nodes.publisher();
    WsConn c = client.connect(n.address, null, new WsConn(-1, n.hostHeader, sealroom ? "/ws" : peer.pubPath(), "", l));
    c.opened.whenComplete((v, e) -> { if (e != null) ready.completeExceptionally(e); });
    return ready;
  }

  /** NATS: publish on its client port with PUB lines, answering PING. */
  private Outlet tcpPublisher() throws Exception {
    Peer.Nats nats = (Peer.Nats) peer;
    TcpConn[] ref = new TcpConn[1];
    TcpConn t = TcpConn.connect(client, new InetSocketAddress(o.host(), nats.tcpPublishPort()), line -> {
      if (line.equals("PING")) ref[0].send("PONG\r\n");
      else if (line.startsWith("-ERR")) { errors.increment(); System.out.println("nats publisher: " + line); }
    });
    ref[0] = t;
    t.opened.get(30, TimeUnit.SECONDS);
    t.send(nats.connectLine());
    return t;
  }

  /** Sends at the offered rate from a 1 ms timer on the publisher's event loop; the timestamp is taken when each frame is written. */
  private CompletableFuture<Void> publish(Outlet pub, String room, long start) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String pad = "x".repeat(o.size);
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] = pub.channel().eventLoop().scheduleAtFixedRate(() -> {
      long due = Math.min(total, (System.nanoTime() - start) * o.rate / 1_000_000_000L);
      long k0 = sent.get();
      for (long k = k0; k < due; k++) {
        long ts = System.nanoTime();
        byte[] frame;
        if (sealroom && o.encrypted) {
          frame = sealed[(int) k];
          sendAt.set((int) k, ts);
        } else {
          String head = "ts=" + ts + ";k=" + k + ";";
          String text = head.length() >= o.size ? head : head + pad.substring(head.length());
          frame = sealroom
              ? ("{\"op\":\"send\",\"room\":\"" + room + "\",\"cid\":\"p" + k + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8)
              : peer.publish(k, text);
        }
        pub.send(frame, false);
        sentBytes.addAndGet(frame.length);
        sent.incrementAndGet();
      }
      if (due > k0) pub.flush();
      if (sent.get() >= total) { task[0].cancel(false); done.complete(null); }
    }, 0, 1, TimeUnit.MILLISECONDS);
    return done;
  }

  private final long startedAt = System.nanoTime();

  private double prevLoopCpu;
  private long prevProgressAt = System.nanoTime();

  private synchronized void progress() {
    Histogram latency = nodes.all();
    long now = System.nanoTime();
    double cpu = client.loopCpuSeconds(), pct = 100 * (cpu - prevLoopCpu) / ((now - prevProgressAt) / 1e9);
    prevLoopCpu = cpu;
    prevProgressAt = now;
    String split = nodes.size() == 1 ? "" : String.format(" local/remote p50=%.1f/%.1fms",
        nodes.latency(0, 1).getValueAtPercentile(50) / 1000.0, nodes.latency(1, nodes.size()).getValueAtPercentile(50) / 1000.0);
    System.out.printf("%5.0fs connected=%d sent=%d acked=%d delivered=%d errors=%d p50=%.1fms p99=%.1fms%s tool loops CPU=%.0f%%%n",
        secs(startedAt), connected.get(), sent.get(), acked.get(), delivered.sum(), errors.sum(),
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, split, pct);
  }

  private JsonObject result(double pubSecs, double rxSecs, double toolCpu, double loopCpu, double srvCpu) {
    long exp = expected(), got = 0;
    int gappy = 0;
    long base = sealroom ? acked.get() : sent.get();
    long[] missingBy = new long[nodes.size()], missingAckedBy = new long[nodes.size()];
    for (int i = 0; i < o.subs; i++) {
      got += tally.distinct(i);
      if (tally.distinct(i) != base) gappy++;
      missingBy[i % nodes.size()] += base - tally.distinct(i);
    }
    // Sealroom: every acked seq must have reached every subscriber
    long missingAcked = 0;
    for (int i = 0; tally.bySeq() && i < o.subs; i++) {
      long m = tally.missingAcked(i);
      missingAcked += m;
      missingAckedBy[i % nodes.size()] += m;
    }
    JsonObject r = new JsonObject().put("scenario", o.scenario).put("target", o.target).put("label", o.label)
        .put("url", o.url).put("subs", o.subs).put("rate", o.rate).put("size", o.size).put("duration", o.duration).put("warmup", o.warmup)
        .put("settle", o.settle).put("encrypted", o.encrypted)
        .put("connected", connected.get()).put("sent", sent.get()).put("acked", acked.get())
        .put("offeredMsgsPerSec", round(sent.get() / pubSecs)).put("deliveredMsgsPerSec", round(got / (double) o.subs / rxSecs))
        .put("deliveriesPerSec", round(delivered.sum() / rxSecs))
        .put("expectedDeliveries", exp).put("distinctDeliveries", got).put("missing", exp - got)
        .put("duplicates", tally.dupes.sum()).put("outOfSendOrder", tally.reordered.sum()).put("seqBreaks", tally.seqBreaks.sum()).put("subscribersWithGaps", gappy)
        .put("errors", errors.sum()).put("otherFrames", other.sum())
        .put("avgSendFrameBytes", sent.get() == 0 ? null : sentBytes.get() / sent.get());
    if (sealroom) r.put("missingAckedSeqs", missingAcked);
    r.put("latencyMs", NodeSet.latencyMs(nodes.all()));
    r.put("toolCpuPct", round(100 * toolCpu / rxSecs)).put("toolLoops", o.loops).put("toolLoopCpuPct", round(100 * loopCpu / rxSecs))
        .put("toolLoopUsPerDelivery", delivered.sum() == 0 ? null : round(loopCpu * 1e6 / delivered.sum()));
    // A loop near a full core queues frames itself: then the latency is partly the tool's.
    boolean busy = loopCpu / rxSecs > 0.8 * Math.min(o.loops, Runtime.getRuntime().availableProcessors());
    r.put("toolBusy", busy);
    if (busy) System.out.println("warning: the tool's client loops used " + round(100 * loopCpu / rxSecs) + "% CPU: latency and rates may include the tool's own queueing");
    if (srvCpu >= 0) {
      // With several nodes: all of them together, the cost of a delivery to the cluster.
      r.put("serverCpuPct", round(100 * srvCpu / rxSecs))
          .put("serverUsPerDelivery", delivered.sum() == 0 ? null : round(srvCpu * 1e6 / delivered.sum()))
          .mergeIn(nodes.rss(o.subs));
    }
    if (o.scenario.equals("cluster")) nodes.putCluster(r, rxSecs, missingBy, missingAckedBy);
    return r;
  }

  /**
   * The whole machine's CPU during the run, and what is left of it once the tool, the servers and
   * the store are taken away: other processes sharing the machine (its loopback numbers move with them).
   */
  private void putMachine(JsonObject r, double secs, double machine, double toolCpu, double srvCpu) {
    if (machine < 0) return;
    r.put("machineCpuPct", round(100 * machine / secs));
    if (srvCpu >= 0) r.put("otherCpuPct", round(100 * Math.max(0, machine - toolCpu - srvCpu - nodes.storeCpuSeconds()) / secs));
  }

  static double round(double v) { return Math.round(v * 100) / 100.0; }

  static double secs(long since) { return (System.nanoTime() - since) / 1e9; }
}
