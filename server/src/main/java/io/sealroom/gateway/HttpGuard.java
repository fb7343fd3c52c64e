package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.ClientAddress;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP connection's own deadlines and the answers to requests that never reach a route
 * (docs/configuration.md, http.*Timeout*):
 * <ul>
 *   <li>a new connection has {@code http.headersTimeoutMs} to complete its first request's
 *   line and headers (a silent connection, or headers sent a byte at a time, is closed);</li>
 *   <li>a request has {@code http.requestTimeoutMs} from its headers to its answer, upload
 *   included (408 and the connection closed), except a file upload or download, which instead
 *   must move {@link #MIN_PROGRESS} bytes in each such period ({@link #streaming});</li>
 *   <li>a kept-alive connection may stay {@code http.idleTimeoutMs} between a response and the
 *   next request's headers;</li>
 *   <li>a connection upgraded to a WebSocket leaves all three (the WebSocket has its own).</li>
 * </ul>
 * Requests the HTTP decoder refused (line or headers too long, a bad Content-Length, garbage)
 * and requests with more than {@link #MAX_HEADERS} headers get the documented JSON error shape
 * and the connection is closed. One per gateway instance, confined to its event loop.
 */
final class HttpGuard {
  /** Total size of a request's line and headers (a bearer token may have up to 8 KB of it). */
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_INITIAL_LINE = 4096;
  static final int MAX_HEADERS = 100;

  /** The client address of a request: its peer, or what a trusted proxy forwarded (http.trustedProxies). */
  static String addressOf(ClientAddress clientAddress, HttpServerRequest req) {
    return clientAddress.resolve(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        req.headers().getAll("X-Forwarded-For"));
  }

  private final Vertx vertx;
  private final Config.Http limits;
  private final Map<HttpConnection, Conn> open = new HashMap<>();

  /** One connection's pending deadline (one at a time: headers, request or idle). */
  private final class Conn {
    final HttpConnection http;
    long timer = -1;
    boolean upgraded;
    /** The request streams a file: its deadline is a wait for progress (see {@link #streaming}). */
    boolean streaming;
    long lastBytes;

    Conn(HttpConnection http) {
      this.http = http;
    }

    void arm(long ms, Handler<Long> onTimeout) {
      cancel();
      timer = vertx.setTimer(ms, onTimeout);
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /** HTTP connections open and not upgraded, over every gateway instance (a node-wide gauge). */
  private final java.util.concurrent.atomic.AtomicInteger gauge;

  HttpGuard(Vertx vertx, Config.Http limits, java.util.concurrent.atomic.AtomicInteger gauge) {
    this.vertx = vertx;
    this.limits = limits;
    this.gauge = gauge;
  }

  /** Server connection handler: the headers deadline starts when the connection opens. */
  void opened(HttpConnection http) {
    Conn c = new Conn(http);
    open.put(http, c);
    gauge.incrementAndGet();
    c.arm(limits.headersTimeoutMs(), t -> http.close());
    http.closeHandler(v -> {
      Conn gone = open.remove(http);
      if (gone != null) {
        gauge.decrementAndGet();
        gone.cancel();
      }
    });
  }

  /**
   * A request's headers are complete: until it is answered, the request deadline runs. False
   * when the request was answered here already (too many headers).
   */
  boolean request(HttpServerRequest req) {
    Conn c = open.get(req.connection());
    if (req.headers().size() > MAX_HEADERS) {
      refuse(req, 431, new ApiException(ErrorCode.TOO_LARGE, "more than " + MAX_HEADERS + " request headers"));
      return false;
    }
    if (c == null) {
      return true;
    }
    c.streaming = false;
    c.arm(limits.requestTimeoutMs(), t -> timedOut(req, c));
    // clients that honour it stop reusing the connection before the node closes it
    req.response().putHeader("Keep-Alive", "timeout=" + Math.max(1, limits.idleTimeoutMs() / 1000 - 1));
    req.response().endHandler(v -> {
      if (!c.upgraded && open.containsKey(c.http)) {
        c.arm(limits.idleTimeoutMs(), t -> c.http.close());
      }
    });
    return true;
  }

  /**
   * The request became a WebSocket: no HTTP deadline applies to the connection any more, and
   * it leaves this index now (after an upgrade the HTTP connection's close handler never runs:
   * the WebSocket's connection takes the channel over).
   */
  void upgraded(HttpConnection http) {
    Conn c = open.remove(http);
    if (c != null) {
      gauge.decrementAndGet();
      c.upgraded = true;
      c.cancel();
    }
  }



  /**
   * The request streams a file in or out: from now on its deadline, {@code http.requestTimeoutMs},
   * is renewed each time at least {@link #MIN_PROGRESS} bytes moved since the last renewal, so
   * that a large transfer is not cut off while a stalled (or trickling) one still is.
   */
  void streaming(HttpServerRequest req) {
    Conn c = open.get(req.connection());
    if (c != null && !c.streaming) {
      c.streaming = true;
      c.lastBytes = req.bytesRead() + req.response().bytesWritten();
    }
  }

  /** Bytes a streaming request must move per http.requestTimeoutMs to keep its connection. */
  static final long MIN_PROGRESS = 16 * 1024;

  private void timedOut(HttpServerRequest req, Conn c) {
    if (c.streaming && !req.response().ended()) {
      long moved = req.bytesRead() + req.response().bytesWritten();
      if (moved - c.lastBytes >= MIN_PROGRESS) {
        c.lastBytes = moved;
        c.arm(limits.requestTimeoutMs(), t -> timedOut(req, c));
        return;
      }
    }
    if (!req.response().headWritten() && !req.response().ended() && !req.response().closed()) {
      refuse(req, 408, ApiException.invalid("request", "not complete within " + limits.requestTimeoutMs() + " ms"));
    } else {
      c.http.close();
    }
  }

  /** Server invalid-request handler: what the HTTP decoder refused, answered in the error shape. */
  void invalid(HttpServerRequest req) {
    Throwable cause = NettyAccess.decoderFailure(req);
    // a request line too long is also, to the decoder, headers too long: it is told apart first
    if (NettyAccess.requestLineTooLong(cause)) {
      refuse(req, 414, new ApiException(ErrorCode.TOO_LARGE, "the request line is longer than " + MAX_INITIAL_LINE + " bytes"));
    } else if (NettyAccess.headersTooLong(cause)) {
      refuse(req, 431, new ApiException(ErrorCode.TOO_LARGE, "the request headers are larger than " + MAX_HEADER_BYTES + " bytes"));
    } else {
      refuse(req, 400, ApiException.invalid("request", "malformed HTTP request"));
    }
  }

  /** How long a refused upload's remaining body is read and dropped before the connection is closed. */
  static final long LINGER_MS = 2000;

  /**
   * Refuses an upload whose body may still be coming: answers, then reads and drops the rest of
   * the body for up to {@link #LINGER_MS} before closing, so that the client, busy sending, still
   * reads the answer (closing a socket with unread input resets it, and the reset can destroy the
   * answer before the client reads it).
   */
  void refuseUpload(HttpServerRequest req, ApiException e) {
    if (req.isEnded()) {
      refuse(req, e.code().httpStatus(), e);
      return;
    }
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, t -> req.connection().close());
    req.response().setStatusCode(e.code().httpStatus()).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", Frames.errorObject(e)).encode());
    req.handler(b -> { });
    req.exceptionHandler(t -> { });
    req.endHandler(v -> {
      vertx.cancelTimer(timer);
      req.connection().close();
    });
    req.resume();
  }

  /** Answers with the error and closes the connection once the answer is out. */
  static void refuse(HttpServerRequest req, int status, ApiException e) {
    if (req.response().ended() || req.response().closed()) {
      req.connection().close();
      return;
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", Frames.errorObject(e)).encode())
        .onComplete(ar -> req.connection().close());
  }
}
