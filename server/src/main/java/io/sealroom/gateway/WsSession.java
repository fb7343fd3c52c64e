package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.messages.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket protocol of one connection (docs/protocol.md): auth first, then sub / unsub /
 * send / typing / ping. Every frame is validated; a bad one gets an error frame with a stable
 * code and the connection stays usable. Event-loop confined.
 */
final class WsSession {
  private static final Logger LOG = Logger.getLogger(WsSession.class.getName());
  /** Sends of one connection being stored at once; beyond it the socket stops being read (TCP backpressure). */
  static final int MAX_IN_FLIGHT = 256;
  private static final long TYPING_INTERVAL_MS = 1000;

  private final Connection conn;
  private final Services services;
  private final GatewayVerticle gateway;
  private final SendLimiter limiter;
  /** This connection's room subscriptions. */
  final RoomFeeds feeds;
  private boolean authenticating;
  private int inFlight;
  private long lastTyping;
  /**
   * Sends not admitted yet, oldest first. A send is judged and checked only once the one before it
   * has its place in its room's numbering (see {@link io.sealroom.messages.MessageService#send}) or
   * was refused, so that a connection's sends are numbered in the order it made them.
   */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** The head of {@link #waiting}, or the send admitted before it, is not through yet: the rest wait. */
  private boolean placing;

  private record Waiting(Future<Boolean> taken, SendRequest req, Object ref, String cid, long arrivedNanos) {
  }

  WsSession(Connection conn, Services services, GatewayVerticle gateway) {
    this.conn = conn;
    this.services = services;
    this.gateway = gateway;
    this.limiter = new SendLimiter(services.config().ws().sendRatePerSecond());
    this.feeds = new RoomFeeds(conn, services, gateway);
  }

  void onText(String text) {
    if (!conn.isOpen()) {
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      if (conn.user == null) {
        conn.close(Connection.CLOSE_AUTH, "the first frame must be auth");
      } else {
        conn.write(Frames.error(ApiException.invalid("frame", "malformed JSON object"), null, null));
      }
      return;
    }
    Object ref = frame.getValue("ref");
    try {
      io.sealroom.common.StrictText.checkJson(frame, "frame");
      dispatch(frame, ref);
    } catch (ApiException e) {
      conn.write(Frames.error(e, ref, null));
    }
  }

  private void dispatch(JsonObject f, Object ref) {
    String op = JsonFields.str(f, "op");
    if (conn.user == null) {
      if (!"auth".equals(op)) {
        conn.close(Connection.CLOSE_AUTH, "the first frame must be auth");
        return;
      }
      auth(f, ref);
      return;
    }
    if (op == null) {
      throw ApiException.invalid("op", "is required");
    }
    switch (op) {
      case "sub": sub(f, ref); break;
      case "unsub": unsub(f, ref); break;
      case "send": send(f, ref); break;
      case "typing": typing(f); break;
      case "ping": conn.write(Frames.pong(ref)); break;
      case "auth": throw ApiException.invalid("op", "already authenticated");
      default: throw ApiException.invalid("op", "unknown op \"" + op + "\"");
    }
  }

  private void auth(JsonObject f, Object ref) {
    if (authenticating) {
      return;
    }
    String token = f.getValue("token") instanceof String ? f.getString("token") : null;
    // frames the client pipelined behind auth wait, unread, until it is decided
    authenticating = true;
    conn.ws.pause();
    services.authenticate(token).onComplete(ar -> {
      if (ar.failed() || !conn.isOpen()) {
        conn.close(Connection.CLOSE_AUTH, "authentication failed");
        return;
      }
      conn.user = ar.result();
      gateway.users().add(conn.user.id(), conn).onComplete(v -> {
        authenticating = false;
        conn.write(Frames.ready(conn.user, ref));
        conn.ws.resume();
      });
    });
  }

  private void sub(JsonObject f, Object ref) {
    feeds.subscribe(JsonFields.requiredStr(f, "room"), JsonFields.seq(f, "since"), ref);
  }

  private void unsub(JsonObject f, Object ref) {
    feeds.unsubscribe(JsonFields.requiredStr(f, "room"), ref);
  }

  private void send(JsonObject f, Object ref) {
    String cid = f.getValue("cid") instanceof String ? f.getString("cid") : null;
    SendRequest req;
    try {
      req = new SendRequest(JsonFields.requiredStr(f, "room"), JsonFields.str(f, "cid"), JsonFields.str(f, "text"),
          JsonFields.e2e(f, "e2e"));
    } catch (ApiException e) {
      conn.write(Frames.error(e, ref, cid));
      return;
    }
    // counted from here: sends waiting for their budget check also hold back reading
    if (++inFlight == MAX_IN_FLIGHT) {
      conn.ws.pause();
    }
    // the budget may answer asynchronously (a cluster), on another thread: it is heard on this loop
    Promise<Boolean> taken = gateway.promise();
    services.sendBudget().take(conn.user.id()).onComplete(taken);
    waiting.add(new Waiting(taken.future(), req, ref, cid, System.nanoTime()));
    placeNext();
  }

  /**
   * Admits the waiting sends in order, each once the one before it has its place. A loop, not a
   * chain of callbacks: while a connection's first send reads its room from the store, the client
   * may have pipelined hundreds more, and one nested call per send would overflow the stack.
   */
  private void placeNext() {
    while (!placing && !waiting.isEmpty()) {
      Waiting w = waiting.peek();
      if (!w.taken().isComplete()) {
        placing = true;
        w.taken().onComplete(v -> placed());
        return;
      }
      waiting.poll();
      // completed wherever the checks end (a store read's thread): the next send goes on on this loop
      Promise<Void> placed = gateway.promise();
      admit(w, placed);
      if (!placed.future().isComplete()) {
        placing = true;
        placed.future().onComplete(v -> placed());
        return;
      }
    }
  }

  private void placed() {
    placing = false;
    placeNext();
  }

  private void admit(Waiting w, Promise<Void> placed) {
    Future<Boolean> taken = w.taken();
    Object ref = w.ref();
    String cid = w.cid();
    if (!conn.isOpen()) {
      refused(placed);
      return;
    }
    if (taken.failed()) {
      refused(placed);
      conn.write(Frames.error(new ApiException(ErrorCode.UNAVAILABLE, "the send budget could not be checked, retry"), ref, cid));
      return;
    }
    SendLimiter.Verdict verdict = limiter.judge(taken.result(), System.currentTimeMillis());
    if (verdict != SendLimiter.Verdict.OK) {
      refused(placed);
      if (verdict == SendLimiter.Verdict.CLOSE) {
        conn.cut(Connection.CLOSE_RATE, "sending too fast", "send_rate");
      } else {
        conn.write(Frames.error(new ApiException(ErrorCode.RATE_LIMITED, "sending too fast, slow down"), ref, cid));
      }
      return;
    }
    store(w, placed);
  }

  /** A send that never reached the store: the next one may go on. */
  private void refused(Promise<Void> placed) {
    placed.complete();
    sendDone();
  }

  private void store(Waiting w, Promise<Void> placed) {
    Object ref = w.ref();
    String cid = w.cid();
    long start = System.nanoTime();
    // the store completes a send on whichever thread its reply or commit came: the count of
    // sends in flight (and the pause/resume it drives) is kept on this connection's loop only,
    // or a lost update left the socket paused for good
    Promise<io.sealroom.messages.Ack> done = gateway.promise();
    // its deadline counts from when it arrived, not from when its turn came
    io.sealroom.messages.SendOutcome outcome = services.messages().send(conn.user, w.req(), w.arrivedNanos());
    outcome.placed().onComplete(placed);
    outcome.acked().onComplete(done);
    done.future().onComplete(ar -> {
      sendDone();
      if (ar.succeeded()) {
        services.metrics().stored(System.nanoTime() - start);
        conn.write(Frames.ack(ar.result(), ref));
      } else {
        ApiException e = ApiException.from(ar.cause());
        if (!(ar.cause() instanceof ApiException)) {
          LOG.log(Level.WARNING, "send failed", ar.cause());
        }
        conn.write(Frames.error(e, ref, cid));
      }
    });
  }

  private void sendDone() {
    if (inFlight-- == MAX_IN_FLIGHT) {
      conn.ws.resume();
    }
  }

  private void typing(JsonObject f) {
    String rid = JsonFields.requiredStr(f, "room");
    long now = System.currentTimeMillis();
    if (now - lastTyping < TYPING_INTERVAL_MS) {
      return;
    }
    lastTyping = now;
    Future<?> member = conn.subs.containsKey(rid) ? Future.succeededFuture()
        : services.rooms().requireMember(conn.user.id(), rid);
    member.onComplete(ar -> {
      if (ar.failed()) {
        conn.write(Frames.error(ApiException.from(ar.cause()), f.getValue("ref"), null));
        return;
      }
      gateway.publishRoom(rid, new RoomFrame(0, Frames.typing(rid, conn.user), conn.id, System.nanoTime()));
    });
  }

  /** The connection closed: leave every registry. */
  void onClose() {
    feeds.dropAll();
    if (conn.user != null) {
      gateway.users().remove(conn.user.id(), conn);
    }
  }

  /** A user-addressed event for this connection (an ended session's cut-off is applied already). */
  void onUserFrame(UserFrame f) {
    if (f.endSessionsBut() != null) {
      if (!f.endSessionsBut().equals(conn.user.sid()) || f.endSessionsBut().isEmpty()) {
        conn.close(Connection.CLOSE_AUTH, "session ended: " + io.sealroom.auth.SessionGuard.SESSION_END_REASON);
      }
      return;
    }
    if (f.revokedRoom() != null) {
      feeds.drop(f.revokedRoom());
    }
    if (f.frame() != null) {
      conn.write(f.frame());
    }
  }
}
