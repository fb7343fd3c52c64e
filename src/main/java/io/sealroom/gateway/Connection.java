package io.sealroom.gateway;

import io.sealroom.auth.AuthUser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.HashMap;
import java.util.Map;

/**
 * One WebSocket and its state: the authenticated user, room subscriptions and the bounded
 * outbound queue. Bytes written but not yet flushed to the socket are counted; a write that
 * would take the count over maxQueuedBytes closes the connection with 4008 instead, so a slow
 * reader costs bounded memory and never delays anyone else. Event-loop confined.
 */
final class Connection {
  static final short CLOSE_AUTH = 4001;
  static final short CLOSE_ORIGIN = 4003;
  static final short CLOSE_SLOW = 4008;
  static final short CLOSE_RATE = 4029;
  static final short CLOSE_TOO_BIG = 1009;

  final String id;
  final ServerWebSocket ws;
  final Map<String, RoomSub> subs = new HashMap<>();
  AuthUser user;
  WsSession session;
  private final long maxQueued;
  private long queued;
  private boolean closed;
  private Promise<Void> drained;

  Connection(String id, ServerWebSocket ws, long maxQueued) {
    this.id = id;
    this.ws = ws;
    this.maxQueued = maxQueued;
  }

  boolean isOpen() {
    return !closed;
  }

  /** Writes one pre-encoded text frame; the same buffer may go to many connections. */
  void write(Buffer frame) {
    if (closed) {
      return;
    }
    int len = frame.length();
    if (queued + len > maxQueued) {
      close(CLOSE_SLOW, "too slow: outbound queue over its limit");
      return;
    }
    queued += len;
    // a duplicate view of the shared (unreleasable) bytes: nothing is copied or re-encoded per subscriber
    ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true)).onComplete(ar -> {
      queued -= len;
      if (drained != null && queued <= maxQueued / 2) {
        Promise<Void> p = drained;
        drained = null;
        p.complete();
      }
    });
  }

  /** Completes when the queue is at most half full (replay waits on it between pages). */
  Future<Void> whenDrained() {
    if (closed || queued <= maxQueued / 2) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
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
