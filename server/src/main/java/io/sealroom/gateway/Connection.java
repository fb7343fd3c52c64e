package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.sealroom.auth.AuthUser;
import io.sealroom.logging.SecurityLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.HashMap;
import java.util.Map;

/**
 * One WebSocket and its state: the authenticated user, room subscriptions and the bounded
 * outbound queue. Frames are appended, already encoded, to one buffer per connection; the event
 * loop's {@link Flusher} hands it to the channel and flushes once per turn, so a burst of frames
 * leaves as one queue entry in one system call. Bytes written but not yet taken by the kernel are counted
 * by the channel; a write that would take them over maxQueuedBytes closes the connection with
 * 4008 instead, so a slow reader costs bounded memory and never delays anyone else.
 * Event-loop confined.
 */
final class Connection {
  private static final long DRAIN_POLL_MS = 5;
  private static final int PENDING_INITIAL = 1024;

  final String id;
  final ServerWebSocket ws;
  /** The client's address (its peer, or what a trusted proxy forwarded), for the security log. */
  final String address;
  final Map<String, RoomSub> subs = new HashMap<>();
  AuthUser user;
  WsSession session;
  /** Set while the connection waits in its flusher's list. */
  boolean flushPending;
  private final ChannelHandlerContext chctx;
  private final Channel channel;
  private final Vertx vertx;
  private final long maxQueued;
  private final long closeTimeoutMs;
  private boolean closed;
  private ByteBuf pending;
  /** The one shared frame of this turn, while it is the only one (a view, nothing to release). */
  private ByteBuf single;
  private Promise<Void> drained;

  Connection(String id, ServerWebSocket ws, String address, long maxQueued, long closeTimeoutMs, Vertx vertx) {
    this.id = id;
    this.ws = ws;
    this.address = address;
    this.maxQueued = maxQueued;
    this.closeTimeoutMs = closeTimeoutMs;
    this.vertx = vertx;
    this.chctx = ((WebSocketInternal) ws).channelHandlerContext();
    this.channel = chctx.channel();
  }

  /**
   * Puts the guard of control frames, and a strict UTF-8 check of text frames (1007 for bytes
   * that are not UTF-8, instead of text silently altered), ahead of the WebSocket's handler.
   */
  void guard(WsGuard guard) {
    io.netty.channel.ChannelPipeline p = channel.pipeline();
    p.addBefore(chctx.name(), "sealroom-utf8", new io.netty.handler.codec.http.websocketx.Utf8FrameValidator(true));
    p.addBefore(chctx.name(), WsGuard.NAME, guard);
  }

  boolean isOpen() {
    return !closed;
  }

  /** Writes one text frame whose payload is only for this connection. */
  void write(Buffer payload) {
    if (!onLoop()) {
      Buffer copy = payload.copy();
      chctx.executor().execute(() -> write(copy));
      return;
    }
    int len = WireFrames.length(payload);
    if (closed || !admit(len)) {
      return;
    }
    WireFrames.write(pending(len), payload);
    Flusher.of(chctx.executor()).mark(this);
  }

  /** Writes a frame encoded once for many connections (see {@link WireFrames#shared}). */
  void writeShared(ByteBuf wire) {
    if (!onLoop()) {
      chctx.executor().execute(() -> writeShared(wire));
      return;
    }
    int len = wire.readableBytes();
    if (closed || !admit(len)) {
      return;
    }
    if (single == null && pending == null) {
      single = wire.duplicate(); // alone this turn (the common case at low rates): no copy at all
    } else {
      pending(len).writeBytes(wire, wire.readerIndex(), len);
    }
    Flusher.of(chctx.executor()).mark(this);
  }

  private boolean onLoop() {
    // connections are written on their own loop; anything else is handed over, never written from another thread
    return chctx.executor().inEventLoop();
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

  private boolean admit(int len) {
    if (queued() + len > maxQueued) {
      // part of it may only be waiting for this turn's flush: hand that to the kernel first
      flushNow();
    }
    if (queued() + len > maxQueued) {
      cut(CloseCodes.SLOW, "too slow: outbound queue over its limit", "slow_reader");
      return false;
    }
    return true;
  }

  /** Bytes written that the kernel has not taken yet (this turn's and the channel's). */
  private long queued() {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return (out == null ? 0 : out.totalPendingWriteBytes()) + (pending == null ? 0 : pending.readableBytes())
        + (single == null ? 0 : single.readableBytes());
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

  /** Completes when the queue is at most half full (replay waits on it between pages). */
  Future<Void> whenDrained() {
    if (closed || queued() <= maxQueued / 2) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
      pollDrained();
    }
    return drained.future();
  }

  private void pollDrained() {
    vertx.setTimer(DRAIN_POLL_MS, t -> {
      if (drained == null) {
        return;
      }
      if (queued() <= maxQueued / 2) {
        Promise<Void> p = drained;
        drained = null;
        p.complete();
      } else {
        pollDrained();
      }
    });
  }

  /**
   * Closes with the code. The close frame queues behind what was written before it; a peer that
   * has not completed the closing handshake {@code ws.closeTimeoutMs} later (it does not read, or
   * ignores the close) has its TCP connection dropped, with whatever is still queued for it.
   */
  void close(short code, String reason) {
    if (closed) {
      return;
    }
    if (onLoop()) {
      flushNow(); // what was written before the close goes out before it
    }
    closed = true;
    failDrained();
    ws.close(code, reason);
    vertx.setTimer(closeTimeoutMs, t -> drop());
  }

  /**
   * Closes a connection that was slow or abusive, with a line in the security log: at most one a
   * minute per reason and address, so a client reconnecting to misbehave cannot flood the log.
   */
  void cut(short code, String reason, String why) {
    if (closed) {
      return;
    }
    if (CUT_LOG.tryAcquire(why + ":" + io.sealroom.common.ClientAddress.limitKey(address))) {
      logCut(code, why);
    }
    close(code, reason);
  }

  private static final io.sealroom.limits.RateLimiter CUT_LOG =
      new io.sealroom.limits.RateLimiter(1, 60_000, System::currentTimeMillis);

  private void logCut(short code, String why) {
    SecurityLog.event("connection_cut").with("reason", why).with("code", code)
        .with("userId", user == null ? null : user.id()).with("address", address).log();
  }

  /** Drops the TCP connection now (the closing handshake did not complete in time). */
  private void drop() {
    if (channel.isOpen()) {
      // straight to the transport: through the pipeline, the WebSocket's own handler would
      // start a closing handshake of its own and wait for it first
      channel.unsafe().close(channel.unsafe().voidPromise());
    }
  }

  /** Marks the connection closed once the socket is gone (by us, the peer or the network). */
  void markClosed() {
    closed = true;
    if (pending != null) {
      pending.release();
      pending = null;
    }
    single = null;
    failDrained();
  }

  private void failDrained() {
    if (drained != null) {
      drained.tryFail("closed");
      drained = null;
    }
  }
}
