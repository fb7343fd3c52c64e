package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client WebSocket on a raw Netty channel: a hand-written HTTP/1.1 upgrade, then a frame
 * parser that works directly on the received buffer. Many frames per read cost no allocation:
 * the listener gets the payload as a byte range of the read buffer, valid only during the call.
 * A frame split across reads is kept in a small cumulation buffer; a fragmented message is
 * reassembled. Pings are answered, a close frame is echoed. Frames sent are masked.
 * Everything but the send methods runs on the channel's event loop.
 */
final class WsConn extends ChannelInboundHandlerAdapter implements Outlet {
  /** Events of one connection; all calls come from its event loop. */
  interface Listener {
    /** The upgrade succeeded. */
    default void onOpen(WsConn c) { }
    /** A text or binary message: bytes [from, from + len) of b, valid only during this call. */
    void onMessage(WsConn c, ByteBuf b, int from, int len);
    /** The connection ended: the close code of the server's close frame, or 1006 without one. */
    default void onClose(WsConn c, int code, String reason) { }
  }

  private static final int MAX_MESSAGE = 16 << 20;
  private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  final int id;
  /** Free for the scenario (per-connection state). */
  Object attachment;
  /** Completes when the upgrade succeeded; fails when the connection ends or fails before. */
  final CompletableFuture<WsConn> opened = new CompletableFuture<>();
  private final String hostHeader, path, extraHeaders;
  private final Listener listener;
  private final String key;
  private Channel ch;
  private boolean upgraded, closeNotified, closeSent;
  private ByteBuf cum;   // bytes of an incomplete frame (or handshake) kept across reads
  private ByteBuf frag;  // payload of a fragmented message so far
  private int closeCode = 1006;
  private String closeReason = "connection lost";

  /** extraHeaders: complete header lines, each ending in \r\n (may be empty). */
  WsConn(int id, String hostHeader, String path, String extraHeaders, Listener listener) {
    this.id = id;
    this.hostHeader = hostHeader;
    this.path = path;
    this.extraHeaders = extraHeaders == null ? "" : extraHeaders;
    this.listener = listener;
    byte[] k = new byte[16];
    ThreadLocalRandom.current().nextBytes(k);
    this.key = Base64.getEncoder().encodeToString(k);
  }

  @Override
  public Channel channel() { return ch; }

  boolean isOpen() { return upgraded && ch != null && ch.isActive() && !closeSent; }

  // ---------------------------------------------------------------- sending

  /** Writes a masked text frame and flushes. Safe from any thread. */
  void send(String text) { send(text.getBytes(StandardCharsets.UTF_8), true); }

  /** Writes a masked text frame; flush later with {@link #flush()} when flush is false. */
  @Override
  public void send(byte[] payload, boolean flush) {
    ByteBuf f = encode(0x1, payload, 0, payload.length);
    if (flush) ch.writeAndFlush(f, ch.voidPromise()); else ch.write(f, ch.voidPromise());
  }

  @Override
  public void flush() { ch.flush(); }

  /** Sends a close frame (1000) and closes the channel once it is written. */
  void close() {
    if (ch == null) return;
    if (!upgraded || closeSent) { ch.close(); return; }
    closeSent = true;
    ch.writeAndFlush(encode(0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2)).addListener(f -> ch.close());
  }

  /** Drops the TCP connection without a close frame (a client that vanished). */
  void abort() { if (ch != null) ch.close(); }

  private ByteBuf encode(int opcode, byte[] p, int off, int len) {
    int hl = len < 126 ? 2 : len < 65536 ? 4 : 10;
    ByteBuf b = ch.alloc().buffer(hl + 4 + len);
    b.writeByte(0x80 | opcode);
    if (len < 126) b.writeByte(0x80 | len);
    else if (len < 65536) { b.writeByte(0x80 | 126); b.writeShort(len); }
    else { b.writeByte(0x80 | 127); b.writeLong(len); }
    int mask = ThreadLocalRandom.current().nextInt();
    b.writeInt(mask);
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      int w = ((p[off + i] & 0xFF) << 24) | ((p[off + i + 1] & 0xFF) << 16) | ((p[off + i + 2] & 0xFF) << 8) | (p[off + i + 3] & 0xFF);
      b.writeInt(w ^ mask);
    }
    for (; i < len; i++) b.writeByte(p[off + i] ^ (mask >>> (24 - 8 * (i & 3))));
    return b;
  }

  private void sendControl(int opcode, ByteBuf src, int from, int len) {
    byte[] p = new byte[len];
    src.getBytes(from, p);
    ch.writeAndFlush(encode(opcode, p, 0, len), ch.voidPromise());
  }

  // ---------------------------------------------------------------- receiving

  /** Seconds an upgrade may take before the connection counts as failed (a server out of descriptors accepts nothing). */
  static final int UPGRADE_TIMEOUT_SECONDS = 30;

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ch = ctx.channel();
    ch.eventLoop().schedule(() -> {
      if (!upgraded) fail(new java.util.concurrent.TimeoutException("no upgrade answer within " + UPGRADE_TIMEOUT_SECONDS + " s"));
    }, UPGRADE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    String req = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    ctx.writeAndFlush(ctx.alloc().buffer(req.length()).writeBytes(req.getBytes(StandardCharsets.US_ASCII)), ctx.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    ByteBuf buf;
    if (cum != null) {
      cum.writeBytes(in);
      in.release();
      buf = cum;
    } else {
      buf = in;
    }
    try {
      if (!upgraded && !handshake(buf)) { keep(ctx, buf, in); return; }
      parse(buf);
      keep(ctx, buf, in);
    } catch (Exception e) {
      fail(e);
      if (buf == in) in.release();
    }
  }

  /** Keeps unread bytes for the next read; releases what is done. */
  private void keep(ChannelHandlerContext ctx, ByteBuf buf, ByteBuf in) {
    if (buf == in) {
      if (in.isReadable() && ch.isActive()) {
        cum = ctx.alloc().buffer(Math.max(4096, in.readableBytes() * 2));
        cum.writeBytes(in);
      }
      in.release();
    } else if (!cum.isReadable()) {
      cum.release();
      cum = null;
    } else {
      cum.discardReadBytes();
    }
  }

  private boolean handshake(ByteBuf b) throws Exception {
    int end = indexOf(b, b.readerIndex(), b.writerIndex(), CRLFCRLF);
    if (end < 0) {
      if (b.readableBytes() > 16384) throw new IllegalStateException("upgrade response too long");
      return false;
    }
    String head = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.ISO_8859_1);
    b.readerIndex(end + 4);
    int sp = head.indexOf(' ');
    if (sp < 0 || !head.startsWith("101", sp + 1)) {
      throw new IllegalStateException("upgrade refused: " + head.lines().findFirst().orElse(head));
    }
    String expect = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
    if (!head.contains(expect)) throw new IllegalStateException("bad Sec-WebSocket-Accept");
    upgraded = true;
    listener.onOpen(this);
    opened.complete(this);
    return true;
  }

  /** Handles every complete frame in b, leaving the reader index at the first incomplete one. */
  private void parse(ByteBuf b) {
    while (b.isReadable(2) && ch.isActive()) {
      int r = b.readerIndex();
      int b0 = b.getUnsignedByte(r), b1 = b.getUnsignedByte(r + 1);
      long len = b1 & 0x7F;
      int hl = 2;
      if (len == 126) {
        if (!b.isReadable(4)) return;
        len = b.getUnsignedShort(r + 2);
        hl = 4;
      } else if (len == 127) {
        if (!b.isReadable(10)) return;
        len = b.getLong(r + 2);
        hl = 10;
      }
      boolean masked = (b1 & 0x80) != 0;
      if (masked) hl += 4;
      if (len < 0 || len > MAX_MESSAGE) throw new IllegalStateException("frame too long: " + len);
      if (b.readableBytes() < hl + len) {
        // Make room for the rest of a big frame in one step.
        if (b == cum) cum.ensureWritable((int) (hl + len - b.readableBytes()));
        return;
      }
      int from = r + hl, n = (int) len;
      if (masked) {
        int mask = b.getInt(r + hl - 4);
        for (int i = 0; i < n; i++) b.setByte(from + i, b.getByte(from + i) ^ (mask >>> (24 - 8 * (i & 3))));
      }
      b.readerIndex(from + n);
      frame(b0 & 0x80, b0 & 0x0F, b, from, n);
    }
  }

  private void frame(int fin, int op, ByteBuf b, int from, int len) {
    switch (op) {
      case 0x1, 0x2 -> {
        if (fin != 0) { listener.onMessage(this, b, from, len); return; }
        if (frag != null) frag.release();
        frag = ch.alloc().buffer(Math.max(256, len * 2));
        frag.writeBytes(b, from, len);
      }
      case 0x0 -> {
        if (frag == null) throw new IllegalStateException("continuation without a first fragment");
        if (frag.readableBytes() + len > MAX_MESSAGE) throw new IllegalStateException("message too long");
        frag.writeBytes(b, from, len);
        if (fin != 0) {
          ByteBuf m = frag;
          frag = null;
          try { listener.onMessage(this, m, m.readerIndex(), m.readableBytes()); } finally { m.release(); }
        }
      }
      case 0x8 -> {
        closeCode = len >= 2 ? b.getUnsignedShort(from) : 1005;
        closeReason = len > 2 ? b.toString(from + 2, len - 2, StandardCharsets.UTF_8) : "";
        if (!closeSent) {
          closeSent = true;
          int n = Math.min(len, 2);
          byte[] p = new byte[n];
          b.getBytes(from, p);
          ch.writeAndFlush(encode(0x8, p, 0, n)).addListener(f -> ch.close());
        } else {
          ch.close();
        }
      }
      case 0x9 -> sendControl(0xA, b, from, len);
      case 0xA -> { }
      default -> throw new IllegalStateException("unknown opcode " + op);
    }
  }

  private void fail(Throwable e) {
    closeCode = 1006;
    closeReason = e.toString();
    opened.completeExceptionally(e);
    if (ch != null) ch.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { fail(cause); }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (cum != null) { cum.release(); cum = null; }
    if (frag != null) { frag.release(); frag = null; }
    if (!opened.isDone()) opened.completeExceptionally(new IllegalStateException("closed before the upgrade: " + closeCode + " " + closeReason));
    if (!closeNotified) {
      closeNotified = true;
      if (upgraded) listener.onClose(this, closeCode, closeReason);
    }
  }

  /** Connection failed before the channel became active (refused, EMFILE, timeout). */
  void connectFailed(Throwable t) {
    opened.completeExceptionally(t);
  }

  static int indexOf(ByteBuf b, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i + needle.length <= to; i++) {
      for (int j = 0; j < needle.length; j++) if (b.getByte(i + j) != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
