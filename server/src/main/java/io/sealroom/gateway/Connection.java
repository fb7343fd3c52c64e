package io.sealroom.gateway;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ClientAddress;
import io.sealroom.limits.RateLimiter;
import io.sealroom.logging.SecurityLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * One WebSocket and its state: who is authenticated on it, whether it is open, and its bounded
 * outbound queue. Frames are appended, already encoded, to one buffer per connection that the
 * event loop flushes once per turn ({@link NettyAccess}), so a burst of frames leaves as one
 * queue entry in one system call. Bytes written but not yet taken by the kernel are counted; a
 * write that would take them over maxQueuedBytes closes the connection with 4008 instead, so a
 * slow reader costs bounded memory and never delays anyone else. Event-loop confined: a write
 * from another thread is handed over to the connection's loop.
 */
final class Connection {
  private static final long DRAIN_POLL_MS = 5;
  /** At most one security-log line a minute per reason and address. */
  private static final RateLimiter CUT_LOG = new RateLimiter(1, 60_000, System::currentTimeMillis);

  final String id;
  final ServerWebSocket ws;
  /** The client's address (its peer, or what a trusted proxy forwarded), for the security log. */
  final String address;
  private final NettyAccess out;
  private final Vertx vertx;
  private final long maxQueued;
  private final long closeTimeoutMs;
  private AuthUser user;
  private boolean closed;
  private Promise<Void> drained;

  Connection(String id, ServerWebSocket ws, NettyAccess out, String address, long maxQueued, long closeTimeoutMs,
      Vertx vertx) {
    this.id = id;
    this.ws = ws;
    this.out = out;
    this.address = address;
    this.maxQueued = maxQueued;
    this.closeTimeoutMs = closeTimeoutMs;
    this.vertx = vertx;
  }

  /** The user authenticated on this connection, or null before auth succeeded. */
  AuthUser user() {
    return user;
  }

  boolean isAuthenticated() {
    return user != null;
  }

  /** Auth succeeded: from now on the connection acts for this user. */
  void authenticated(AuthUser user) {
    this.user = user;
  }

  /** Puts the guards of text and control frames (see {@link WsGuard}) ahead of the WebSocket's handler. */
  void guard(int maxPendingPings) {
    out.install(new WsGuard(this, out, maxQueued, maxPendingPings));
  }

  boolean isOpen() {
    return !closed;
  }

  /** Writes one text frame whose payload is only for this connection. */
  void write(Buffer payload) {
    if (!out.inEventLoop()) {
      Buffer copy = payload.copy();
      out.execute(() -> write(copy));
      return;
    }
    int len = NettyAccess.frameLength(payload);
    if (closed || !admit(len)) {
      return;
    }
    out.append(payload, len);
  }

  /** Writes a frame encoded once for many connections (see {@link NettyAccess#sharedFrame}). */
  void writeShared(Object frame) {
    if (!out.inEventLoop()) {
      out.execute(() -> writeShared(frame));
      return;
    }
    int len = NettyAccess.frameLength(frame);
    if (closed || !admit(len)) {
      return;
    }
    out.appendShared(frame, len);
  }

  private boolean admit(int len) {
    if (out.queued() + len > maxQueued) {
      // part of it may only be waiting for this turn's flush: hand that to the kernel first
      out.flushNow();
    }
    if (out.queued() + len > maxQueued) {
      cut(CloseCodes.SLOW, "too slow: outbound queue over its limit", "slow_reader");
      return false;
    }
    return true;
  }

  /** Completes when the queue is at most half full (replay waits on it between pages). */
  Future<Void> whenDrained() {
    if (closed || out.queued() <= maxQueued / 2) {
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
      if (out.queued() <= maxQueued / 2) {
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
    if (out.inEventLoop()) {
      out.flushNow(); // what was written before the close goes out before it
    }
    closed = true;
    failDrained();
    ws.close(code, reason);
    vertx.setTimer(closeTimeoutMs, t -> out.dropTransport());
  }

  /**
   * Closes a connection that was slow or abusive, with a line in the security log: at most one a
   * minute per reason and address, so a client reconnecting to misbehave cannot flood the log.
   */
  void cut(short code, String reason, String why) {
    if (closed) {
      return;
    }
    if (CUT_LOG.tryAcquire(why + ":" + ClientAddress.limitKey(address))) {
      SecurityLog.event("connection_cut").with("reason", why).with("code", code)
          .with("userId", user == null ? null : user.id()).with("address", address).log();
    }
    close(code, reason);
  }

  /** Marks the connection closed once the socket is gone (by us, the peer or the network). */
  void markClosed() {
    closed = true;
    out.discard();
    failDrained();
  }

  private void failDrained() {
    if (drained != null) {
      drained.tryFail("closed");
      drained = null;
    }
  }
}
