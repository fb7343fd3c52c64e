package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.limits.Limits;
import io.sealroom.messages.MessageService;
import io.sealroom.messages.SendRequest;
import io.sealroom.rooms.RoomService;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The WebSocket protocol of one connection (docs/protocol.md): auth first, then sub / unsub /
 * send / typing / ping. Every frame is validated; a bad one gets an error frame with a stable
 * code and the connection stays usable. A send frame, once parsed, is handed to the
 * connection's {@link SendQueue}, which keeps the connection's sends in order and answers each.
 * Event-loop confined.
 */
final class WsSession {
  private static final long TYPING_INTERVAL_MS = 1000;

  private final Connection conn;
  private final Authenticator authenticator;
  private final RoomService rooms;
  private final GatewayVerticle gateway;
  /** This connection's sends, in the order they arrived. */
  private final SendQueue sends;
  /** This connection's room subscriptions. */
  private final RoomFeeds feeds;
  private boolean authenticating;
  private long lastTyping;

  WsSession(Connection conn, WsDeps deps, GatewayVerticle gateway) {
    this.conn = conn;
    this.authenticator = deps.authenticator();
    this.rooms = deps.rooms();
    this.gateway = gateway;
    Limits.Buckets budget = deps.sendBudget();
    MessageService messages = deps.messages();
    this.sends = new SendQueue(new ConnectionSocket(conn), gateway::promise,
        () -> budget.take(conn.user().id()),
        (req, arrivedNanos) -> messages.send(conn.user(), req, arrivedNanos),
        new SendLimiter(deps.limits().sendRatePerSecond()), deps.metrics());
    this.feeds = new RoomFeeds(conn, rooms, gateway);
  }

  void onText(String text) {
    if (!conn.isOpen()) {
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      if (!conn.isAuthenticated()) {
        conn.close(CloseCodes.AUTH, "the first frame must be auth");
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
    if (!conn.isAuthenticated()) {
      if (!"auth".equals(op)) {
        conn.close(CloseCodes.AUTH, "the first frame must be auth");
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
    authenticator.authenticate(token).onComplete(ar -> {
      if (ar.failed() || !conn.isOpen()) {
        conn.close(CloseCodes.AUTH, "authentication failed");
        return;
      }
      conn.authenticated(ar.result());
      gateway.users().add(conn.user().id(), this).onComplete(v -> {
        authenticating = false;
        conn.write(Frames.ready(conn.user(), ref));
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

  /** A send frame: parsed here, then it joins the connection's queue of sends, which answers it. */
  private void send(JsonObject f, Object ref) {
    String cid = f.getValue("cid") instanceof String ? f.getString("cid") : null;
    SendRequest req;
    try {
      req = new SendRequest(JsonFields.requiredStr(f, "room"), JsonFields.str(f, "cid"), JsonFields.str(f, "text"),
          JsonFields.e2e(f, "e2e"), JsonFields.strList(f, "files"));
    } catch (ApiException e) {
      conn.write(Frames.error(e, ref, cid));
      return;
    }
    sends.offer(req, ref);
  }

  private void typing(JsonObject f) {
    String rid = JsonFields.requiredStr(f, "room");
    long now = System.currentTimeMillis();
    if (now - lastTyping < TYPING_INTERVAL_MS) {
      return;
    }
    lastTyping = now;
    Future<?> member = feeds.isSubscribed(rid) ? Future.succeededFuture()
        : rooms.requireMember(conn.user().id(), rid);
    member.onComplete(ar -> {
      if (ar.failed()) {
        conn.write(Frames.error(ApiException.from(ar.cause()), f.getValue("ref"), null));
        return;
      }
      gateway.rooms().publish(rid, new RoomFrame(0, Frames.typing(rid, conn.user()), conn.id, System.nanoTime()));
    });
  }

  /** The connection closed: leave every registry. */
  void onClose() {
    feeds.dropAll();
    if (conn.isAuthenticated()) {
      gateway.users().remove(conn.user().id(), this);
    }
  }

  /** A user-addressed event for this connection (an ended session's cut-off is applied already). */
  void onUserFrame(UserFrame f) {
    if (f.endSessionsBut() != null) {
      if (!f.endSessionsBut().equals(conn.user().sid()) || f.endSessionsBut().isEmpty()) {
        conn.close(CloseCodes.AUTH, "session ended: " + io.sealroom.auth.SessionGuard.SESSION_END_REASON);
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

  /** The connection as its send queue sees it. */
  private record ConnectionSocket(Connection conn) implements SendQueue.Socket {
    @Override
    public boolean isOpen() {
      return conn.isOpen();
    }

    @Override
    public void pauseReading() {
      conn.ws.pause();
    }

    @Override
    public void resumeReading() {
      conn.ws.resume();
    }

    @Override
    public void write(io.vertx.core.buffer.Buffer frame) {
      conn.write(frame);
    }

    @Override
    public void closeForSendRate() {
      conn.cut(CloseCodes.RATE, "sending too fast", "send_rate");
    }
  }
}
