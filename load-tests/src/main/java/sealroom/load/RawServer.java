package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limit of what Vert.x can do for fan-out on this machine: Vert.x 5 accepts the WebSockets,
 * then a message is encoded once into a WebSocket frame and the same bytes are written to every
 * subscriber's Netty channel without a flush; each subscriber's channel is flushed once per
 * event-loop turn, so messages published close together leave in one write. No auth, no store,
 * no permessage-deflate. Subscribers: ws://host:port/sub?room=R; publisher: every text frame
 * on ws://host:port/pub?room=R is broadcast (the interface of the shared vertx peer).
 *
 * <p>Run: {@code java -jar sealroom-load.jar raw-server --port 9010 [--server-loops 1]}, or
 * {@code java -cp sealroom-load.jar sealroom.load.RawServer --port 9010}.
 */
final class RawServer {
  /** A slow subscriber whose unsent bytes pass this is closed instead of buffering without bound. */
  private static final long MAX_PENDING = 16L << 20;

  private final Map<String, Map<EventLoop, LoopSubs>> rooms = new ConcurrentHashMap<>();

  private RawServer() { }

  public static void main(String[] args) throws Exception {
    String[] a = new String[args.length + 1];
    a[0] = "raw-server";
    System.arraycopy(args, 0, a, 1, args.length);
    main(Opts.parse(a));
  }

  static void main(Opts o) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.serverLoops).setPreferNativeTransport(true));
    RawServer s = new RawServer();
    String host = "127.0.0.1";
    vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(o.port).setTcpNoDelay(true)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(s::accept)
        .listen()
        .toCompletionStage().toCompletableFuture().get();
    System.out.println("raw fan-out server listening on " + host + ":" + o.port + ", " + o.serverLoops
        + " event loop(s), native transport " + vertx.isNativeTransportEnabled() + ", pid " + ProcessHandle.current().pid());
    Thread.currentThread().join();
  }

  private void accept(ServerWebSocket ws) {
    String room = "room";
    String q = ws.query();
    if (q != null) for (String kv : q.split("&")) if (kv.startsWith("room=")) room = kv.substring(5);
    final String r = room;
    ChannelHandlerContext ctx = ((WebSocketInternal) ws).channelHandlerContext();
    if (ws.path().startsWith("/pub")) {
      Buffer[] partial = new Buffer[1];
      ws.frameHandler(f -> {
        if (!f.isText() && !f.isBinary() && !f.isContinuation()) return;
        if (!f.isFinal()) {
          if (partial[0] == null) partial[0] = Buffer.buffer();
          partial[0].appendBuffer(f.binaryData());
          return;
        }
        Buffer data = f.binaryData();
        if (partial[0] != null) { data = partial[0].appendBuffer(data); partial[0] = null; }
        publish(r, data);
      });
      return;
    }
    EventLoop loop = ctx.channel().eventLoop();
    // Writes go out at the head of the pipeline: the frame is already encoded.
    ChannelHandlerContext head = ctx.pipeline().firstContext();
    LoopSubs subs = rooms.computeIfAbsent(r, k -> new ConcurrentHashMap<>()).computeIfAbsent(loop, LoopSubs::new);
    subs.add(head);
    ws.closeHandler(v -> subs.remove(head));
  }

  /** Encodes one server text frame (unmasked) and hands it to the event loop of every subscriber. */
  private void publish(String room, Buffer data) {
    Map<EventLoop, LoopSubs> byLoop = rooms.get(room);
    if (byLoop == null) return;
    int len = data.length();
    ByteBuf frame = Unpooled.directBuffer(len + 10);
    frame.writeByte(0x81);
    if (len < 126) frame.writeByte(len);
    else if (len < 65536) { frame.writeByte(126); frame.writeShort(len); }
    else { frame.writeByte(127); frame.writeLong(len); }
    for (int i = 0; i < len; i++) frame.writeByte(data.getByte(i));
    for (LoopSubs subs : byLoop.values()) {
      if (subs.loop.inEventLoop()) subs.write(frame);
      else {
        ByteBuf f = frame.retain();
        subs.loop.execute(() -> { try { subs.write(f); } finally { f.release(); } });
      }
    }
    frame.release();
  }

  /** The subscribers of one room on one event loop; touched only on that loop. */
  private static final class LoopSubs {
    final EventLoop loop;
    final ArrayList<ChannelHandlerContext> subs = new ArrayList<>();
    private boolean flushPending;
    private final Runnable flush = this::flushAll;

    LoopSubs(EventLoop loop) { this.loop = loop; }

    void add(ChannelHandlerContext c) {
      if (loop.inEventLoop()) subs.add(c); else loop.execute(() -> subs.add(c));
    }

    void remove(ChannelHandlerContext c) {
      if (loop.inEventLoop()) subs.remove(c); else loop.execute(() -> subs.remove(c));
    }

    /** Writes the same bytes to every subscriber without flushing; one flush task per loop turn. */
    void write(ByteBuf frame) {
      for (int i = 0, n = subs.size(); i < n; i++) {
        ChannelHandlerContext c = subs.get(i);
        if (c.channel().unsafe().outboundBuffer() != null && c.channel().unsafe().outboundBuffer().totalPendingWriteBytes() > MAX_PENDING) {
          c.channel().close();
          continue;
        }
        c.write(frame.retainedDuplicate(), c.voidPromise());
      }
      if (!flushPending) {
        flushPending = true;
        loop.execute(flush);
      }
    }

    private void flushAll() {
      flushPending = false;
      for (int i = 0, n = subs.size(); i < n; i++) subs.get(i).flush();
    }
  }
}
