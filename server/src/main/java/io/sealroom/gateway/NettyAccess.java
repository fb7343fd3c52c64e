package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The gateway's one use of Netty and of Vert.x's internal API: every other gateway class uses
 * Vert.x's public API only. What it does that the public API cannot:
 * <ul>
 *   <li>server-to-client text frames encoded to their bytes on the wire (FIN, opcode 1, no
 *   mask); a fan-out frame is encoded once ({@link #sharedFrame}) and the same bytes go to
 *   every subscriber, nothing copied or framed again per connection;</li>
 *   <li>per connection (an instance), this turn's frames appended to one buffer that goes
 *   straight to the channel's transport, flushed once per turn by its loop's {@link Flusher}:
 *   a burst of frames leaves as one queue entry in one system call; and the count of bytes the
 *   kernel has not taken yet, which bounds a slow reader;</li>
 *   <li>the guards ahead of the WebSocket's own handler: strict UTF-8, and pings and close
 *   frames handed to the connection's {@link WsGuard};</li>
 *   <li>promises bound to a context, and the failures of Netty's decoders told apart.</li>
 * </ul>
 * An instance is confined to its channel's event loop; the static methods are thread-safe.
 */
final class NettyAccess {
  private static final int PENDING_INITIAL = 1024;

  private final ChannelHandlerContext chctx;
  private final Channel channel;
  /** This turn's frames as bytes, once there is more than the one shared frame. */
  private ByteBuf pending;
  /** The one shared frame of this turn, while it is the only one (a view, nothing to release). */
  private ByteBuf single;
  /** The flusher of the channel's loop, found at the first write (on that loop). */
  private Flusher flusher;
  /** Set while this connection waits in its flusher's list. */
  private boolean flushPending;
  private GuardHandler guard;

  /** The outbound side of the socket's channel. */
  NettyAccess(ServerWebSocket ws) {
    this(((WebSocketInternal) ws).channelHandlerContext());
  }

  /** The outbound side of a channel whose WebSocket handler is at {@code chctx}. */
  NettyAccess(ChannelHandlerContext chctx) {
    this.chctx = chctx;
    this.channel = chctx.channel();
  }

  /** A promise whose callbacks run on the context, whichever thread completes it. */
  static <T> Promise<T> promise(Context context) {
    return ((ContextInternal) context).promise();
  }

  /**
   * The close code a WebSocket decoder chose for a frame it refused (one frame over the size
   * limit, text that is not UTF-8, another protocol violation), or 0 for any other failure.
   */
  static short refusedFrameCode(Throwable failure) {
    return failure instanceof CorruptedWebSocketFrameException
        ? (short) ((CorruptedWebSocketFrameException) failure).closeStatus().code() : 0;
  }

  /** Why the HTTP decoder refused the request, or null. */
  static Throwable decoderFailure(HttpServerRequest req) {
    return req.decoderResult() == null ? null : req.decoderResult().cause();
  }

  /** The HTTP decoder refused a request line over its limit. */
  static boolean requestLineTooLong(Throwable cause) {
    return cause instanceof TooLongHttpLineException;
  }

  /** The HTTP decoder refused headers (or, as its subclass, a request line) over their limit. */
  static boolean headersTooLong(Throwable cause) {
    return cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException;
  }

  /** Bytes on the wire of a text frame with this payload. */
  static int frameLength(Buffer payload) {
    int len = payload.length();
    return (len < 126 ? 2 : len < 65536 ? 4 : 10) + len;
  }

  /** Bytes on the wire of a frame made by {@link #sharedFrame}. */
  static int frameLength(Object shared) {
    return ((ByteBuf) shared).readableBytes();
  }

  /**
   * A text frame for many connections, opaque to everything but this class: direct memory (the
   * kernel reads it without a copy) owned by the garbage collector, wrapped so that the
   * per-connection duplicates Netty releases after writing never free it.
   */
  static Object sharedFrame(Buffer payload) {
    ByteBuf b = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(frameLength(payload))).clear();
    encode(b, payload);
    return Unpooled.unreleasableBuffer(b);
  }

  private static void encode(ByteBuf out, Buffer payload) {
    ByteBuf p = ((BufferInternal) payload).getByteBuf();
    int len = p.readableBytes();
    out.writeByte(0x81);
    if (len < 126) {
      out.writeByte(len);
    } else if (len < 65536) {
      out.writeByte(126);
      out.writeShort(len);
    } else {
      out.writeByte(127);
      out.writeLong(len);
    }
    out.writeBytes(p, p.readerIndex(), len);
  }

  /** True on the channel's event loop, the only thread that may write. */
  boolean inEventLoop() {
    return chctx.executor().inEventLoop();
  }

  /** Runs the task on the channel's event loop. */
  void execute(Runnable task) {
    chctx.executor().execute(task);
  }

  /** Appends a text frame with this payload ({@code frameLength} bytes on the wire) to this turn's frames. */
  void append(Buffer payload, int frameLength) {
    encode(pending(frameLength), payload);
    markForFlush();
  }

  /** Appends a frame made by {@link #sharedFrame} ({@code frameLength} bytes) to this turn's frames. */
  void appendShared(Object shared, int frameLength) {
    ByteBuf wire = (ByteBuf) shared;
    if (single == null && pending == null) {
      single = wire.duplicate(); // alone this turn (the common case at low rates): no copy at all
    } else {
      pending(frameLength).writeBytes(wire, wire.readerIndex(), frameLength);
    }
    markForFlush();
  }

  /**
   * This turn's frames, appended as bytes to one buffer that becomes a single entry of the
   * channel's outbound queue when the connection is flushed: what a frame costs per subscriber
   * is a copy of a few hundred bytes, not a queue entry, a pipeline pass and a system call.
   */
  private ByteBuf pending(int room) {
    if (pending == null) {
      int first = single == null ? 0 : single.readableBytes();
      pending = chctx.alloc().directBuffer(Math.max(PENDING_INITIAL, first + room));
      if (single != null) {
        pending.writeBytes(single);
        single = null;
      }
    }
    return pending;
  }

  private void markForFlush() {
    if (flusher == null) {
      flusher = Flusher.of(chctx.executor());
    }
    flusher.mark(this);
  }

  /** Bytes written that the kernel has not taken yet: this turn's and the channel's. */
  long queued() {
    return channelQueued() + (pending == null ? 0 : pending.readableBytes()) + (single == null ? 0 : single.readableBytes());
  }

  /** Bytes in the channel's outbound queue that the kernel has not taken yet. */
  long channelQueued() {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  /**
   * Hands this turn's frames to the transport and flushes. They are wire bytes already, so they
   * go straight to the transport: no handler of the pipeline has anything to do with them.
   * Frames and everything Vert.x writes (close frames, pongs) share the channel's one outbound
   * queue, in the order they reach it.
   */
  void flushNow() {
    ByteBuf b = single != null ? single : pending;
    if (b != null) {
      single = null;
      pending = null;
      if (b.isReadable() && channel.isActive()) {
        channel.unsafe().write(b, channel.voidPromise());
      } else {
        b.release();
      }
    }
    channel.unsafe().flush();
  }

  /** Frees this turn's frames unsent (the socket is gone). */
  void discard() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    single = null;
  }

  /** Drops the TCP connection now, with whatever is still queued. */
  void dropTransport() {
    if (channel.isOpen()) {
      // straight to the transport: through the pipeline, the WebSocket's own handler would
      // start a closing handshake of its own and wait for it first
      channel.unsafe().close(channel.unsafe().voidPromise());
    }
  }

  /**
   * Puts a strict UTF-8 check of text frames (1007 for bytes that are not UTF-8, instead of text
   * silently altered) and the control-frame guard ahead of the WebSocket's handler.
   */
  void install(WsGuard wsGuard) {
    guard = new GuardHandler(wsGuard);
    ChannelPipeline p = channel.pipeline();
    p.addBefore(chctx.name(), "sealroom-utf8", new Utf8FrameValidator(true));
    p.addBefore(chctx.name(), "sealroom-ws-guard", guard);
  }

  /** Writes and flushes a pong (after whatever was queued before it); {@code sent} hears whether it went out. */
  void pong(Buffer payload, Handler<Boolean> sent) {
    guard.ctx.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload.getBytes())))
        .addListener((ChannelFutureListener) f -> sent.handle(f.isSuccess()));
  }

  /**
   * Hands the pings and close frames of one WebSocket to its {@link WsGuard}, ahead of the
   * WebSocket's own handler (which would answer every ping at once, whatever is queued, and
   * echo any close code). Runs on the channel's event loop.
   */
  private static final class GuardHandler extends ChannelInboundHandlerAdapter {
    private final WsGuard guard;
    private ChannelHandlerContext ctx;

    GuardHandler(WsGuard guard) {
      this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof PingWebSocketFrame) {
        PingWebSocketFrame ping = (PingWebSocketFrame) msg;
        try {
          guard.onPing(Buffer.buffer(ByteBufUtil.getBytes(ping.content())));
        } finally {
          ping.release();
        }
        return;
      }
      if (msg instanceof CloseWebSocketFrame) {
        CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
        short refusal = WsGuard.refusal(Buffer.buffer(ByteBufUtil.getBytes(close.content())));
        if (refusal != 0) {
          close.release();
          guard.refuseClose(refusal);
          return;
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Coalesces writes on one event loop: a connection written to is flushed once, by a task that
   * runs after whatever the loop already has queued, so the frames of a burst (many messages
   * fanned out in one turn) leave in one system call per connection instead of one per frame.
   * Confined to its event loop.
   */
  private static final class Flusher implements Runnable {
    private static final FastThreadLocal<Flusher> PER_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private NettyAccess[] dirty = new NettyAccess[256];
    private int count;
    private boolean scheduled;

    private Flusher(EventExecutor loop) {
      this.loop = loop;
    }

    /** The flusher of {@code loop}; call only on that loop's thread. */
    static Flusher of(EventExecutor loop) {
      Flusher f = PER_LOOP.get();
      // a thread runs one event loop; only a test drives several (embedded) loops from one thread
      if (f == null || f.loop != loop) {
        f = new Flusher(loop);
        PER_LOOP.set(f);
      }
      return f;
    }

    /** Called after a write that was not flushed; the connection is flushed once this turn ends. */
    void mark(NettyAccess c) {
      if (c.flushPending) {
        return;
      }
      c.flushPending = true;
      if (count == dirty.length) {
        dirty = Arrays.copyOf(dirty, count * 2);
      }
      dirty[count++] = c;
      if (!scheduled) {
        scheduled = true;
        loop.execute(this);
      }
    }

    @Override
    public void run() {
      scheduled = false;
      int n = count;
      count = 0;
      for (int i = 0; i < n; i++) {
        NettyAccess c = dirty[i];
        dirty[i] = null;
        c.flushPending = false;
        c.flushNow();
      }
    }
  }
}
