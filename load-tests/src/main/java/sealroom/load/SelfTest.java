package sealroom.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How fast the tool can receive: an in-process Netty server (its own thread) writes pre-encoded
 * Sealroom-like msg frames, many per write, to C connections as fast as they are read; the
 * client receives them through the same path as the scenarios (WsConn, the ts=/k= and seq
 * scans, an HdrHistogram record per frame) and reports frames/s and the CPU of its event loops.
 */
final class SelfTest {
  private final Opts o;

  SelfTest(Opts o) { this.o = o; }

  /** Per-connection counters, written only on the connection's event loop. */
  static final class Counts { long frames, marks, kSum, seqSum; }

  JsonObject run() throws Exception {
    int framesPerBlob = o.batch;
    ByteBuf blob = blob(o.size, framesPerBlob);
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "selftest-server"),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Channel listen = new ServerBootstrap().group(server).channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) { ch.pipeline().addLast(new Blaster(blob)); }
        }).bind("127.0.0.1", 0).sync().channel();
    int port = ((InetSocketAddress) listen.localAddress()).getPort();

    Recorder rec = new Recorder(3);
    List<Counts> counts = new ArrayList<>();
    Scan.Sink sink = (c, ts, k, b, from, to, at) -> {
      Counts n = (Counts) c.attachment;
      n.marks++;
      n.kSum += k;
      long now = System.nanoTime();
      rec.recordValue(Math.max(0, (now - ts) / 1000));
    };
    WsConn.Listener l = (c, b, from, len) -> {
      Counts n = (Counts) c.attachment;
      n.frames++;
      int to = from + len;
      Scan.marks(c, b, from, to, Scan.TS, sink);
      n.seqSum += Scan.seq(b, from, to);
    };
    try (WsClient client = new WsClient(o.loops, "ws-loop")) {
      List<WsConn> conns = new ArrayList<>();
      InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
      for (int i = 0; i < o.subs; i++) {
        WsConn c = new WsConn(i, "127.0.0.1:" + port, "/selftest", "", l);
        Counts n = new Counts();
        c.attachment = n;
        counts.add(n);
        conns.add(client.connect(remote, null, c));
      }
      for (WsConn c : conns) c.opened.get(30, TimeUnit.SECONDS);
      System.out.printf("selftest: %d connections, %d-byte text (frames of %d bytes, %d per server write), %d client loop(s), epoll %s%n",
          o.subs, o.size, blob.readableBytes() / framesPerBlob, framesPerBlob, o.loops, epoll);
      Thread.sleep(1000); // JIT warm-up of both sides
      long f0 = sum(counts), t0 = System.nanoTime();
      double cpu0 = client.loopCpuSeconds(), proc0 = Proc.cpuSeconds("self");
      long prevF = f0, prevT = t0;
      double prevCpu = cpu0;
      for (int s = 0; s < o.duration; s++) {
        Thread.sleep(1000);
        long f = sum(counts), t = System.nanoTime();
        double cpu = client.loopCpuSeconds();
        double secs = (t - prevT) / 1e9;
        System.out.printf("%3ds frames/s=%,.0f client loops CPU=%.0f%%%n", s + 1, (f - prevF) / secs, 100 * (cpu - prevCpu) / secs);
        prevF = f; prevT = t; prevCpu = cpu;
      }
      long frames = sum(counts) - f0;
      double secs = (System.nanoTime() - t0) / 1e9;
      double loopCpu = client.loopCpuSeconds() - cpu0, procCpu = Proc.cpuSeconds("self") - proc0;
      long marks = 0;
      for (Counts n : counts) marks += n.marks;
      JsonObject r = new JsonObject().put("scenario", "selftest").put("label", o.label).put("subs", o.subs).put("size", o.size)
          .put("frameBytes", blob.readableBytes() / framesPerBlob).put("framesPerServerWrite", framesPerBlob).put("loops", o.loops).put("epoll", epoll)
          .put("seconds", round(secs)).put("frames", frames).put("framesPerSec", Math.round(frames / secs))
          .put("marksFound", marks)
          .put("toolLoopCpuPct", round(100 * loopCpu / secs))
          .put("framesPerLoopCpuSecond", loopCpu > 0 ? Math.round(frames / loopCpu) : null)
          .put("nsPerFrame", frames > 0 ? round(loopCpu * 1e9 / frames) : null)
          .put("processCpuPct", round(100 * procCpu / secs));
      for (WsConn c : conns) c.abort();
      return r;
    } finally {
      listen.close().sync();
      server.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static long sum(List<Counts> counts) {
    long s = 0;
    for (Counts n : counts) s += n.frames;
    return s;
  }

  /** n msg frames as Sealroom encodes them, with a text of size bytes, back to back. */
  static ByteBuf blob(int size, int n) {
    ByteBuf b = Unpooled.directBuffer();
    long now = System.nanoTime();
    for (int k = 0; k < n; k++) {
      String head = "ts=" + now + ";k=" + k + ";";
      String text = head.length() >= size ? head : head + "x".repeat(size - head.length());
      byte[] p = ("{\"op\":\"msg\",\"room\":\"wTLj2rgUycpwfCTBOaa1\",\"id\":\"wXh4C480HEBciJmCxuVF\",\"seq\":" + (k + 1)
          + ",\"ts\":1795677058117,\"cid\":\"p" + k + "\",\"from\":{\"id\":\"cms2m52CRASooBHbyrpM\",\"username\":\"alice\"},\"text\":\""
          + text + "\"}").getBytes(StandardCharsets.UTF_8);
      b.writeByte(0x81);
      if (p.length < 126) b.writeByte(p.length);
      else { b.writeByte(126); b.writeShort(p.length); }
      b.writeBytes(p);
    }
    return Unpooled.unreleasableBuffer(b);
  }

  /** Server side of one connection: answers the upgrade, then writes the blob while the socket is writable. */
  private static final class Blaster extends ChannelInboundHandlerAdapter {
    private final ByteBuf blob;
    private final StringBuilder req = new StringBuilder();
    private boolean open;

    Blaster(ByteBuf blob) { this.blob = blob; }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (open) return; // the client's frames (none expected) are dropped
        req.append(in.toString(StandardCharsets.ISO_8859_1));
        int end = req.indexOf("\r\n\r\n");
        if (end < 0) return;
        String key = null;
        for (String line : req.substring(0, end).split("\r\n")) {
          if (line.regionMatches(true, 0, "sec-websocket-key:", 0, 18)) key = line.substring(18).trim();
        }
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        String resp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n";
        ctx.write(Unpooled.copiedBuffer(resp, StandardCharsets.US_ASCII));
        open = true;
        pump(ctx.channel());
      } finally {
        in.release();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (open && ctx.channel().isWritable()) pump(ctx.channel());
    }

    private void pump(Channel ch) {
      for (int round = 0; round < 4 && ch.isWritable(); round++) {
        // One write (syscall) per blob: --batch frames each.
        for (int i = 0; i < 64 && ch.isWritable(); i++) ch.writeAndFlush(blob.duplicate(), ch.voidPromise());
      }
      if (ch.isWritable() && ch.isActive()) ch.eventLoop().execute(() -> pump(ch));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
  }

  private static double round(double v) { return Math.round(v * 100) / 100.0; }
}
