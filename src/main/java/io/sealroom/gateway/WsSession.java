package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.messages.Message;
import io.sealroom.messages.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket protocol of one connection (docs/protocol.md): auth first, then sub / unsub /
 * send / typing / ping. Every frame is validated; a bad one gets an error frame with a stable
 * code and the connection stays usable. Event-loop confined.
 */
final class WsSession {
  private static final Logger LOG = Logger.getLogger(WsSession.class.getName());
  private static final int REPLAY_PAGE = 500;
  /** Sends of one connection being stored at once; beyond it the socket stops being read (TCP backpressure). */
  static final int MAX_IN_FLIGHT = 256;
  private static final long TYPING_INTERVAL_MS = 1000;
  /** When a clustered node checks a new subscription against the store (after subscribing, then after the one before). */
  private static final long[] CATCH_UP_MS = {300, 2000};
  /** How long a gap in a subscription's seqs may stay open before it is filled from the store. */
  static final long GAP_MS = 250;

  private final Connection conn;
  private final Services services;
  private final GatewayVerticle gateway;
  private final SendLimiter limiter;
  private final boolean clustered;
  private boolean authenticating;
  private int inFlight;
  private long lastTyping;
  /** The latest send's budget check: each send is admitted only after the one before it. */
  private Future<Boolean> admissions = Future.succeededFuture(true);
  /** The latest admitted send's place in its room's numbering (see {@link io.sealroom.messages.MessageService#send}). */
  private Future<Void> lastPlaced = Future.succeededFuture();

  WsSession(Connection conn, Services services, GatewayVerticle gateway) {
    this.conn = conn;
    this.services = services;
    this.gateway = gateway;
    this.limiter = new SendLimiter(services.config().ws().sendRatePerSecond());
    this.clustered = services.config().cluster().enabled();
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
    String rid = JsonFields.requiredStr(f, "room");
    Long since = JsonFields.seq(f, "since");
    services.rooms().requireMember(conn.user.id(), rid).onComplete(ar -> {
      if (ar.failed()) {
        conn.write(Frames.error(ApiException.from(ar.cause()), ref, null));
        return;
      }
      dropSub(rid);
      RoomSub sub = new RoomSub(rid, conn, since);
      conn.subs.put(rid, sub);
      // the head is read once live frames are being received: every seq up to it is stored or on its way live
      gateway.rooms().add(rid, sub).compose(v -> services.messages().head(rid)).onComplete(h -> {
        if (conn.subs.get(rid) != sub) {
          return;
        }
        if (h.failed()) {
          dropSub(rid);
          conn.write(Frames.error(ApiException.from(h.cause()), ref, null));
          return;
        }
        conn.write(Frames.subbed(rid, h.result(), ref));
        if (clustered) {
          sub.track(h.result());
          catchUpLater(sub, 0);
        }
        if (sub.replaying) {
          replay(sub, sub.floor(), h.result());
        }
      });
    });
  }

  /**
   * In a cluster, another node may publish a message or two before it has learnt that this node
   * now has a consumer for the room (registrations spread within tens of milliseconds): those
   * frames never arrive here. A while after subscribing, the store's head is read again and
   * whatever was stored but not delivered is replayed (at most once per seq).
   */
  private void catchUpLater(RoomSub sub, int attempt) {
    if (attempt >= CATCH_UP_MS.length) {
      return;
    }
    gateway.later(CATCH_UP_MS[attempt], () -> {
      if (!live(sub)) {
        return;
      }
      if (sub.replaying) {
        catchUpLater(sub, attempt);
        return;
      }
      catchUpNow(sub).onComplete(v -> catchUpLater(sub, attempt + 1));
    });
  }

  /**
   * Replays whatever the store has beyond what the subscription delivered. Messages stored a
   * moment ago are usually still on their way live: only what has not arrived {@link #GAP_MS}
   * after the head was read is read from the store.
   */
  Future<Void> catchUpNow(RoomSub sub) {
    if (!live(sub) || sub.replaying) {
      return Future.succeededFuture();
    }
    return gateway.sharedHead(sub.rid).compose(head -> {
      if (head <= sub.floor()) {
        return Future.<Void>succeededFuture();
      }
      io.vertx.core.Promise<Void> checked = io.vertx.core.Promise.promise();
      gateway.later(GAP_MS, () -> {
        if (live(sub) && !sub.replaying && sub.floor() < head) {
          sub.replaying = true;
          replay(sub, sub.floor(), Math.max(head, sub.highest()));
        }
        checked.complete();
      });
      return checked.future();
    }).recover(t -> Future.succeededFuture());
  }

  /**
   * A delivered seq skipped one: a frame from another node may still be on its way, so look again
   * after {@link #GAP_MS}; a gap still open then is filled from the store (at most once per seq).
   */
  void repairGapLater(RoomSub sub) {
    gateway.later(GAP_MS, () -> {
      sub.gapCheck = false;
      if (live(sub) && !sub.replaying && sub.hasGap()) {
        sub.replaying = true;
        replay(sub, sub.floor(), sub.highest());
      }
    });
  }

  private boolean live(RoomSub sub) {
    return conn.isOpen() && conn.subs.get(sub.rid) == sub;
  }

  /**
   * Delivers the stored messages after the cursor up to the head, a page at a time, then the
   * live frames buffered meanwhile. When the buffer overflowed, the frames it dropped are in the
   * store: replay again from the last seq delivered without a gap, up to the head as it is now.
   */
  private void replay(RoomSub sub, long cursor, long head) {
    if (cursor >= head) {
      finishReplay(sub);
      return;
    }
    long to = Math.min(head, cursor + REPLAY_PAGE);
    services.messages().range(sub.rid, cursor + 1, to).onComplete(ar -> {
      if (!conn.isOpen() || conn.subs.get(sub.rid) != sub) {
        return;
      }
      if (ar.failed()) {
        dropSub(sub.rid);
        conn.write(Frames.error(ApiException.from(ar.cause()), null, null));
        return;
      }
      for (Message m : ar.result()) {
        if (sub.firstDelivery(m.seq())) {
          conn.write(Frames.msg(m));
        }
      }
      conn.whenDrained().onSuccess(v -> replay(sub, to, head));
    });
  }

  private void finishReplay(RoomSub sub) {
    if (!sub.overflowed) {
      sub.replaying = false;
      sub.buffered.forEach(frame -> gateway.deliverLive(conn, sub, frame));
      sub.buffered.clear();
      return;
    }
    sub.overflowed = false;
    services.messages().head(sub.rid).onComplete(h -> {
      if (conn.isOpen() && conn.subs.get(sub.rid) == sub) {
        if (h.succeeded()) {
          replay(sub, sub.floor(), h.result());
        } else {
          dropSub(sub.rid);
          conn.write(Frames.error(ApiException.from(h.cause()), null, null));
        }
      }
    });
  }

  private void unsub(JsonObject f, Object ref) {
    String rid = JsonFields.requiredStr(f, "room");
    dropSub(rid);
    conn.write(Frames.unsubbed(rid, ref));
  }

  /** Ends this connection's live subscription to the room, if any. */
  void dropSub(String rid) {
    RoomSub sub = conn.subs.remove(rid);
    if (sub != null) {
      gateway.rooms().remove(rid, sub);
    }
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
    Future<Boolean> taken = services.sendBudget().take(conn.user.id());
    if (admissions.isComplete() && taken.isComplete()) {
      admit(taken, req, ref, cid);
      return;
    }
    // the budget answers asynchronously in a cluster: sends still go on in the order they came
    Future<Boolean> mine = admissions.transform(v -> taken);
    admissions = mine;
    mine.onComplete(v -> admit(taken, req, ref, cid));
  }

  private void admit(Future<Boolean> taken, SendRequest req, Object ref, String cid) {
    if (!conn.isOpen()) {
      sendDone();
      return;
    }
    if (taken.failed()) {
      sendDone();
      conn.write(Frames.error(new ApiException(ErrorCode.UNAVAILABLE, "the send budget could not be checked, retry"), ref, cid));
      return;
    }
    SendLimiter.Verdict verdict = limiter.judge(taken.result(), System.currentTimeMillis());
    if (verdict != SendLimiter.Verdict.OK) {
      sendDone();
      if (verdict == SendLimiter.Verdict.CLOSE) {
        conn.close(Connection.CLOSE_RATE, "sending too fast");
      } else {
        conn.write(Frames.error(new ApiException(ErrorCode.RATE_LIMITED, "sending too fast, slow down"), ref, cid));
      }
      return;
    }
    // checks of a send may wait for the store (a room not known yet): the next send of this
    // connection starts its checks only once this one has its place in the room's numbering
    Promise<Void> placed = Promise.promise();
    Future<Void> before = lastPlaced;
    lastPlaced = placed.future();
    if (before.isComplete()) {
      store(req, ref, cid, placed);
    } else {
      before.onComplete(v -> store(req, ref, cid, placed));
    }
  }

  private void store(SendRequest req, Object ref, String cid, Promise<Void> placed) {
    long start = System.nanoTime();
    services.messages().send(conn.user, req, placed).onComplete(ar -> {
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
    for (String rid : new ArrayList<>(conn.subs.keySet())) {
      dropSub(rid);
    }
    if (conn.user != null) {
      gateway.users().remove(conn.user.id(), conn);
    }
  }

  /** A user-addressed event for this connection. */
  void onUserFrame(UserFrame f) {
    if (f.endSessionsBut() != null) {
      if (!f.endSessionsBut().equals(conn.user.sid()) || f.endSessionsBut().isEmpty()) {
        conn.close(Connection.CLOSE_AUTH, "session ended");
      }
      return;
    }
    if (f.revokedRoom() != null) {
      dropSub(f.revokedRoom());
    }
    if (f.frame() != null) {
      conn.write(f.frame());
    }
  }
}
