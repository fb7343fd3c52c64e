package sealroom.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tool's WebSocket client: raw Netty on the native epoll transport (NIO when epoll is not
 * available), L event-loop threads whose CPU time the tool reports. Reads are batched: one read
 * takes up to 256 KiB, and {@link WsConn} handles every frame in it.
 */
final class WsClient implements AutoCloseable {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  final EventLoopGroup group;
  final boolean epoll;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Bootstrap boot;

  WsClient(int loops, String name) { this(loops, name, 0); }

  /** rcvbuf: SO_RCVBUF of every socket, or 0 for the kernel's autotuning. */
  WsClient(int loops, String name, int rcvbuf) {
    this.epoll = Epoll.isAvailable();
    AtomicInteger n = new AtomicInteger();
    java.util.concurrent.ThreadFactory tf = r -> {
      Thread t = new FastThreadLocalThread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      threads.add(t);
      return t;
    };
    this.group = new MultiThreadIoEventLoopGroup(loops, tf, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.boot = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 8192, 256 * 1024));
    // With a bound source address, pick the port at connect time (by the 4-tuple), not at bind time.
    if (epoll) boot.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    if (rcvbuf > 0) boot.option(ChannelOption.SO_RCVBUF, rcvbuf);
  }

  /** Opens one connection; conn.opened completes after the upgrade. local may be null. */
  WsConn connect(InetSocketAddress remote, InetSocketAddress local, WsConn conn) {
    Bootstrap b = boot.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) { ch.pipeline().addLast(conn); }
    });
    ChannelFuture f = local == null ? b.connect(remote) : b.connect(remote, local);
    f.addListener(x -> { if (!x.isSuccess()) conn.connectFailed(x.cause()); });
    return conn;
  }

  /** CPU seconds (user + system) used so far by this client's event-loop threads. */
  double loopCpuSeconds() {
    long ns = 0;
    for (Thread t : threads) {
      long v = MX.getThreadCpuTime(t.getId());
      if (v > 0) ns += v;
    }
    return ns / 1e9;
  }

  int loops() { return threads.size(); }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** True when t (or a cause) says the process ran out of file descriptors. */
  static boolean isEmfile(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (m.contains("Too many open files") || m.contains("EMFILE")) return true;
    }
    return false;
  }
}
