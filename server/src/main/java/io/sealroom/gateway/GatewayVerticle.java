package io.sealroom.gateway;

import io.sealroom.common.Addresses;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gateway instance (deploy one per event loop): the HTTP routes and the WebSocket endpoint
 * /ws, with this instance's local indexes of room and user subscribers. A stored message
 * arrives once per instance on the room's bus address and the same encoded bytes are written to
 * every local subscriber. Everything here runs on this instance's event loop.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());
  public static final String WS_PATH = "/ws";

  private final Services services;
  private final int port;
  private HttpServer server;
  private HttpGuard guard;
  private LocalRegistry<RoomFrame, RoomSub> rooms;
  private LocalRegistry<UserFrame, Connection> users;
  /** Room heads being read for catching up, one read per room at a time for all of this instance's subscriptions. */
  private final java.util.Map<String, Future<Long>> headReads = new java.util.HashMap<>();

  public GatewayVerticle(Services services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    GatewayMetrics metrics = services.metrics();
    rooms = new LocalRegistry<>(vertx.eventBus(), Addresses::room, RoomSub[]::new, this::deliverRoom, metrics.roomSubscriptions);
    users = new LocalRegistry<>(vertx.eventBus(), Addresses::user, Connection[]::new, this::deliverUser, metrics.userConnections);
    vertx.eventBus().localConsumer(Addresses.MEMBER_LEFT, m -> catchUpAll());
    Config.Http http = services.config().http();
    Config.Ws ws = services.config().ws();
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
        .setMaxWebSocketFrameSize(ws.maxFrameBytes())
        .setMaxWebSocketMessageSize(ws.maxFrameBytes())
        .setWebSocketClosingTimeout(Math.max(1, ws.closeTimeoutMs() / 1000))
        .setTcpNoDelay(true);
    guard = new HttpGuard(vertx, http, metrics.httpConnections);
    io.vertx.ext.web.Router router = RestApi.router(vertx, services);
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

  LocalRegistry<RoomFrame, RoomSub> rooms() {
    return rooms;
  }

  LocalRegistry<UserFrame, Connection> users() {
    return users;
  }

  /**
   * The room's head for a catch-up check: a read already under way for the room serves every
   * subscription that asks meanwhile (after a member left, every subscription asks at once).
   * Not for subbed: that head must be read after the caller's consumer is registered.
   */
  Future<Long> sharedHead(String rid) {
    Future<Long> running = headReads.get(rid);
    if (running != null) {
      return running;
    }
    Future<Long> read = services.messages().head(rid);
    headReads.put(rid, read);
    read.onComplete(ar -> context.runOnContext(v -> headReads.remove(rid, read)));
    return read;
  }

  /** A promise whose callbacks run on this instance's event loop, whichever thread completes it. */
  <T> io.vertx.core.Promise<T> promise() {
    return NettyAccess.promise(context);
  }

  /** Runs the handler on this instance's event loop after the delay. */
  void later(long delayMs, Runnable handler) {
    vertx.setTimer(delayMs, t -> handler.run());
  }

  void publishRoom(String rid, RoomFrame frame) {
    vertx.eventBus().publish(Addresses.room(rid), frame);
  }

  /**
   * GET /ws with an upgrade: the handshake is checked (a Sec-WebSocket-Key of 16 bytes in
   * base64, as RFC 6455 4.2.1 requires; else 400 in the error shape), then the socket opens.
   */
  private void upgrade(io.vertx.core.http.HttpServerRequest req) {
    String key = req.getHeader("Sec-WebSocket-Key");
    if (!validKey(key)) {
      HttpGuard.refuse(req, 400, io.sealroom.common.ApiException.invalid("Sec-WebSocket-Key",
          "must be 16 bytes in base64 (RFC 6455)"));
      return;
    }
    if (hasBody(req)) {
      // the handshake would wait for the body first, with no deadline of the WebSocket's yet
      HttpGuard.refuse(req, 400, io.sealroom.common.ApiException.invalid("body", "a WebSocket upgrade has no body"));
      return;
    }
    boolean originOk = originAllowed(req.getHeader("Origin"), req.getHeader("Host"));
    String address = services.addressOf(req);
    io.vertx.core.http.HttpConnection http = req.connection();
    // until the upgrade succeeds, the request's HTTP deadline stays armed: a handshake that
    // never completes (or fails, e.g. 426 for another version) is closed by it
    req.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        http.close();
        return;
      }
      guard.upgraded(http);
      Connection conn = open(ar.result(), address);
      if (!originOk) {
        conn.close(CloseCodes.ORIGIN, "origin not allowed");
      }
    });
  }

  private static boolean hasBody(io.vertx.core.http.HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
  }

  static boolean validKey(String key) {
    if (key == null || key.length() != 24 || !key.endsWith("==")) {
      return false;
    }
    try {
      return java.util.Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Connection open(ServerWebSocket ws, String address) {
    Config.Ws limits = services.config().ws();
    Connection conn = new Connection(Ids.newPublicId(), ws, new NettyAccess(ws), address, limits.maxQueuedBytes(),
        limits.closeTimeoutMs(), vertx);
    WsSession session = new WsSession(conn, services, this);
    conn.session = session;
    services.metrics().connectionOpened();
    conn.guard(limits.maxPendingControlFrames());
    long timer = vertx.setTimer(limits.authTimeoutMs(), id -> {
      if (conn.user == null) {
        conn.close(CloseCodes.AUTH, "authentication timed out");
      }
    });
    ws.textMessageHandler(session::onText);
    ws.binaryMessageHandler(b -> conn.write(Frames.error(
        io.sealroom.common.ApiException.invalid("frame", "binary frames are not supported"), null, null)));
    ws.exceptionHandler(t -> {
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
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(timer);
      conn.markClosed();
      session.onClose();
      services.metrics().connectionClosed();
    });
    return conn;
  }

  private void deliverRoom(String rid, RoomSub[] subs, RoomFrame f) {
    int written = 0;
    String except = f.exceptConnection();
    for (RoomSub sub : subs) {
      if (except != null && except.equals(sub.conn.id)) {
        continue;
      }
      if (deliverLive(sub.conn, sub, f)) {
        written++;
      }
    }
    if (f.seq() > 0) {
      services.metrics().delivered(written, f.publishedNanos());
    }
  }

  /** Delivers a live frame to one subscriber: buffered during replay, dropped when its seq was delivered already. */
  boolean deliverLive(Connection c, RoomSub sub, RoomFrame f) {
    if (sub.replaying) {
      sub.buffer(f);
      return false;
    }
    if (!sub.firstDelivery(f.seq())) {
      return false;
    }
    c.writeShared(f.wire());
    if (!sub.gapCheck && sub.hasGap()) {
      // usually the missing seq is a moment behind (published by another node); if not, the store has it
      sub.gapCheck = true;
      c.session.feeds.repairGapLater(sub);
    }
    return true;
  }

  /** Every subscription of this instance is checked against the store (a cluster member left: what it published last may never have arrived). */
  void catchUpAll() {
    rooms.forEach((rid, subs) -> {
      for (RoomSub sub : subs) {
        sub.conn.session.feeds.catchUpNow(sub);
      }
    });
  }

  private void deliverUser(String uid, Connection[] conns, UserFrame f) {
    if (f.endSessionsBut() != null) {
      // once per frame, before any socket closes: the cut-off may reach this node's session guard
      // after this frame (it also travels on another address)
      services.sessions().ended(uid, new io.sealroom.users.UserStore.SessionCutoff(f.validAfterMs(), f.endSessionsBut()));
    }
    for (Connection c : conns) {
      c.session.onUserFrame(f);
    }
  }

  private boolean originAllowed(String origin, String host) {
    if (origin == null) {
      return true; // not a browser: bots and the SDK authenticate with their token
    }
    if (services.config().http().allowedOrigins().contains(origin)) {
      return true;
    }
    int sep = origin.indexOf("://");
    return host != null && sep > 0 && origin.substring(sep + 3).equalsIgnoreCase(host);
  }
}
