package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.sealroom.auth.AuthUser;
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
 * outbound queue. Frames are written to the socket's channel already encoded, without a flush;
 * the event loop's {@link Flusher} flushes each written connection once per turn, so a burst of
 * frames leaves in one system call. Bytes written but not yet taken by the kernel are counted
 * by the channel; a write that would take them over maxQueuedBytes closes the connection with
 * 4008 instead, so a slow reader costs bounded memory and never delays anyone else.
 * Event-loop confined.
 */
final class Connection {
  static final short CLOSE_AUTH = 4001;
  static final short CLOSE_ORIGIN = 4003;
  static final short CLOSE_SLOW = 4008;
  static final short CLOSE_RATE = 4029;
  static final short CLOSE_TOO_BIG = 1009;
  private static final long DRAIN_POLL_MS = 5;

  final String id;
  final ServerWebSocket ws;
  final Map<String, RoomSub> subs = new HashMap<>();
  AuthUser user;
  WsSession session;
  /** Set while the connection waits in its flusher's list. */
  boolean flushPending;
  /** When the flusher last flushed this connection (System.nanoTime). */
  long lastFlushNanos = Long.MIN_VALUE / 2;
  private final ChannelHandlerContext chctx;
  private final Channel channel;
  private final Vertx vertx;
  private final long maxQueued;
  private boolean closed;
  private Promise<Void> drained;

  Connection(String id, ServerWebSocket ws, long maxQueued, Vertx vertx) {
    this.id = id;
    this.ws = ws;
    this.maxQueued = maxQueued;
    this.vertx = vertx;
    this.chctx = ((WebSocketInternal) ws).channelHandlerContext();
    this.channel = chctx.channel();
  }

  boolean isOpen() {
    return !closed;
  }

  /** Writes one text frame whose payload is only for this connection. */
  void write(Buffer payload) {
    if (closed || !admit(WireFrames.headerLength(payload.length()) + payload.length())) {
      return;
    }
    send(WireFrames.single(chctx.alloc(), payload));
  }

  /** Writes a frame encoded once for many connections (see {@link WireFrames#shared}). */
  void writeShared(ByteBuf wire) {
    if (closed || !admit(wire.readableBytes())) {
      return;
    }
    send(wire.duplicate());
  }

  private boolean admit(int len) {
    if (queued() + len > maxQueued) {
      // part of it may only be waiting for this turn's flush: hand that to the kernel first
      flushNow();
    }
    if (queued() + len > maxQueued) {
      close(CLOSE_SLOW, "too slow: outbound queue over its limit");
      return false;
    }
    return true;
  }

  private void send(ByteBuf frame) {
    if (chctx.executor().inEventLoop()) {
      append(frame);
    } else {
      // not expected (connections are written on their own loop), but never write from another thread
      chctx.executor().execute(() -> append(frame));
    }
  }

  /**
   * Appends an encoded frame to the channel's outbound buffer. The frame is already wire bytes,
   * so it goes straight to the transport: no handler of the pipeline has anything to do with
   * it, and skipping them saves a traversal per frame per subscriber. Frames and everything
   * Vert.x writes (close frames, pongs) share that one buffer, in the order they were written.
   */
  private void append(ByteBuf frame) {
    channel.unsafe().write(frame, channel.voidPromise());
    Flusher.of(chctx.executor()).mark(this);
  }

  /** Bytes written to the channel that the kernel has not taken yet. */
  private long queued() {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  void flushNow() {
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

  void close(short code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (drained != null) {
      drained.tryFail("closed");
      drained = null;
    }
    ws.close(code, reason);
  }

  /** Marks the connection closed once the socket is gone (by us, the peer or the network). */
  void markClosed() {
    closed = true;
    if (drained != null) {
      drained.tryFail("closed");
      drained = null;
    }
  }
}
