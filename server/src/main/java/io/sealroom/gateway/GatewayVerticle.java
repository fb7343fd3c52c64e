package io.sealroom.gateway;

import io.sealroom.auth.SessionGuard;
import io.sealroom.common.Addresses;
import io.sealroom.common.ApiException;
import io.sealroom.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.Base64;

/**
 * One gateway instance (deploy one per event loop): its HTTP server, the routes, and the
 * WebSocket endpoint /ws up to its handshake and origin check. What follows is owned elsewhere:
 * a socket is taken over by {@link WsEndpoint}, room subscriptions and their delivery by this
 * instance's {@link RoomFanout}, user-addressed events by its {@link UserFanout}. Everything
 * here runs on this instance's event loop.
 */
public final class GatewayVerticle extends VerticleBase {
  public static final String WS_PATH = "/ws";

  private final Config config;
  private final SessionGuard sessions;
  private final WsDeps ws;
  private final RestDeps rest;
  private final E2eDeps e2e;
  private final int port;
  private HttpServer server;
  private HttpGuard guard;
  private RoomFanout rooms;
  private UserFanout users;
  private WsEndpoint endpoint;

  /**
   * An instance serving {@code port}: {@code sessions} tells its {@link UserFanout} of ended
   * sessions, {@code ws} is what its WebSocket side uses, {@code rest} and {@code e2e} what its
   * routes use (all shared by every instance).
   */
  public GatewayVerticle(Config config, SessionGuard sessions, WsDeps ws, RestDeps rest, E2eDeps e2e, int port) {
    this.config = config;
    this.sessions = sessions;
    this.ws = ws;
    this.rest = rest;
    this.e2e = e2e;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    GatewayMetrics metrics = ws.metrics();
    rooms = new RoomFanout(vertx.eventBus(), RoomFanout.History.of(ws.messages()), RoomFanout.Loop.of(context),
        metrics, config.cluster().enabled());
    users = new UserFanout(vertx.eventBus(), sessions, metrics);
    endpoint = new WsEndpoint(vertx, ws, this);
    vertx.eventBus().localConsumer(Addresses.MEMBER_LEFT, m -> rooms.catchUpAll());
    Config.Http http = config.http();
    Config.Ws limits = ws.limits();
    HttpServerOptions opts = new HttpServerOptions()
        .setHost(http.host())
        .setPort(port)
        .setMaxHeaderSize(HttpGuard.MAX_HEADER_BYTES)
        .setMaxInitialLineLength(HttpGuard.MAX_INITIAL_LINE)
        // HTTP/1.1 only: h2c detection waits for a first byte before the connection is set up,
        // so a silent connection would never meet http.headersTimeoutMs
        .setHttp2ClearTextEnabled(false)
        // ciphertext does not compress, and deflate costs several times the CPU per delivery
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // the web client's files are gzipped for clients that ask; API answers opt out (RestApi)
        .setCompressionSupported(true)
        .setMaxWebSocketFrameSize(limits.maxFrameBytes())
        .setMaxWebSocketMessageSize(limits.maxFrameBytes())
        .setWebSocketClosingTimeout(Math.max(1, limits.closeTimeoutMs() / 1000))
        .setTcpNoDelay(true);
    guard = new HttpGuard(vertx, http, metrics.httpConnections);
    Router router = RestApi.router(vertx, rest, e2e, guard);
    server = vertx.createHttpServer(opts)
        .connectionHandler(guard::opened)
        .invalidRequestHandler(guard::invalid)
        .requestHandler(req -> {
          if (!guard.request(req)) {
            return;
          }
          if (WS_PATH.equals(req.path()) && req.canUpgradeToWebSocket()) {
            upgrade(req);
          } else {
            router.handle(req);
          }
        });
    return server.listen();
  }

  /** The port this instance listens on. */
  public int actualPort() {
    return server.actualPort();
  }

  /** This instance's room subscriptions and their delivery. */
  RoomFanout rooms() {
    return rooms;
  }

  /** This instance's authenticated sessions, by user. */
  UserFanout users() {
    return users;
  }

  /** A promise whose callbacks run on this instance's event loop, whichever thread completes it. */
  <T> Promise<T> promise() {
    return NettyAccess.promise(context);
  }

  /**
   * GET /ws with an upgrade: the handshake is checked (a Sec-WebSocket-Key of 16 bytes in
   * base64, as RFC 6455 4.2.1 requires; else 400 in the error shape), then the socket opens.
   */
  private void upgrade(HttpServerRequest req) {
    String key = req.getHeader("Sec-WebSocket-Key");
    if (!validKey(key)) {
      HttpGuard.refuse(req, 400, ApiException.invalid("Sec-WebSocket-Key",
          "must be 16 bytes in base64 (RFC 6455)"));
      return;
    }
    if (hasBody(req)) {
      // the handshake would wait for the body first, with no deadline of the WebSocket's yet
      HttpGuard.refuse(req, 400, ApiException.invalid("body", "a WebSocket upgrade has no body"));
      return;
    }
    boolean originOk = originAllowed(req.getHeader("Origin"), req.getHeader("Host"));
    String address = HttpGuard.addressOf(rest.clientAddress(), req);
    HttpConnection http = req.connection();
    // until the upgrade succeeds, the request's HTTP deadline stays armed: a handshake that
    // never completes (or fails, e.g. 426 for another version) is closed by it
    req.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        http.close();
        return;
      }
      guard.upgraded(http);
      Connection conn = endpoint.open(ar.result(), address);
      if (!originOk) {
        conn.close(CloseCodes.ORIGIN, "origin not allowed");
      }
    });
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
  }

  static boolean validKey(String key) {
    if (key == null || key.length() != 24 || !key.endsWith("==")) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private boolean originAllowed(String origin, String host) {
    if (origin == null) {
      return true; // not a browser: bots and the SDK authenticate with their token
    }
    if (config.http().allowedOrigins().contains(origin)) {
      return true;
    }
    int sep = origin.indexOf("://");
    return host != null && sep > 0 && origin.substring(sep + 3).equalsIgnoreCase(host);
  }
}
