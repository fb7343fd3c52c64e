package sealroom.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A plain TCP publisher for a line protocol (NATS on its client port): bytes are written as
 * they are; each received line goes to onLine (to answer PING, report -ERR).
 */
final class TcpConn extends ChannelInboundHandlerAdapter implements Outlet {
  final CompletableFuture<TcpConn> opened = new CompletableFuture<>();
  private final Consumer<String> onLine;
  private final StringBuilder line = new StringBuilder();
  private Channel ch;

  private TcpConn(Consumer<String> onLine) { this.onLine = onLine; }

  static TcpConn connect(WsClient client, InetSocketAddress remote, Consumer<String> onLine) {
    TcpConn c = new TcpConn(onLine);
    new Bootstrap().group(client.group).channel(client.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) { ch.pipeline().addLast(c); }
        })
        .connect(remote).addListener(f -> { if (!f.isSuccess()) c.opened.completeExceptionally(f.cause()); });
    return c;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ch = ctx.channel();
    opened.complete(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    try {
      while (b.isReadable()) {
        char c = (char) b.readByte();
        if (c == '\n') { onLine.accept(line.toString().trim()); line.setLength(0); }
        else if (line.length() < 4096) line.append(c);
      }
    } finally {
      b.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    opened.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void send(byte[] payload, boolean flush) {
    ByteBuf b = ch.alloc().buffer(payload.length).writeBytes(payload);
    if (flush) ch.writeAndFlush(b, ch.voidPromise()); else ch.write(b, ch.voidPromise());
  }

  void send(String s) { send(s.getBytes(StandardCharsets.US_ASCII), true); }

  @Override
  public void flush() { ch.flush(); }

  @Override
  public Channel channel() { return ch; }
}
