package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The /ws endpoint of one gateway instance once an upgrade succeeded: it makes the socket's
 * {@link Connection} and {@link WsSession}, puts the frame guards ahead of the WebSocket's
 * handler, hands the socket's frames, failures and close to them and gives the client
 * {@code ws.authTimeoutMs} to authenticate (else 4001). Confined to its instance's event loop.
 */
final class WsEndpoint {
  private static final Logger LOG = Logger.getLogger(WsEndpoint.class.getName());

  private final Vertx vertx;
  private final WsDeps deps;
  private final GatewayVerticle gateway;

  WsEndpoint(Vertx vertx, WsDeps deps, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.deps = deps;
    this.gateway = gateway;
  }

  /** Takes the upgraded socket over; {@code address} is its client's (see {@link HttpGuard#addressOf}). */
  Connection open(ServerWebSocket ws, String address) {
    Config.Ws limits = deps.limits();
    Connection conn = new Connection(Ids.newPublicId(), ws, new NettyAccess(ws), address, limits.maxQueuedBytes(),
        limits.closeTimeoutMs(), vertx);
    WsSession session = new WsSession(conn, deps, gateway);
    deps.metrics().connectionOpened();
    conn.guard(limits.maxPendingControlFrames());
    long timer = vertx.setTimer(limits.authTimeoutMs(), id -> {
      if (!conn.isAuthenticated()) {
        conn.close(CloseCodes.AUTH, "authentication timed out");
      }
    });
    ws.textMessageHandler(session::onText);
    ws.binaryMessageHandler(b -> conn.write(Frames.error(
        ApiException.invalid("frame", "binary frames are not supported"), null, null)));
    ws.exceptionHandler(t -> failed(conn, t));
    ws.closeHandler(v -> {
      vertx.cancelTimer(timer);
      conn.markClosed();
      session.onClose();
      deps.metrics().connectionClosed();
    });
    return conn;
  }

  private static void failed(Connection conn, Throwable t) {
    short refused = NettyAccess.refusedFrameCode(t);
    if (refused != 0) {
      // a single frame over ws.maxFrameBytes, text that is not UTF-8 (1007), or another protocol violation
      conn.close(refused, "frame refused");
    } else if (String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("max message size")) {
      // a fragmented message whose parts add up to more than ws.maxFrameBytes
      conn.close(CloseCodes.TOO_BIG, "message too large");
    } else {
      LOG.log(Level.FINE, "websocket error", t);
    }
  }
}
