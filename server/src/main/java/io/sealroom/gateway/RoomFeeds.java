package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.rooms.RoomService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One connection's room subscriptions (docs/protocol.md, sub and unsub): which rooms it is
 * subscribed to, and its sub and unsub requests, carried out one after the other per room and
 * each answered. Membership is checked here; live delivery, replay and catch-up are the
 * gateway instance's {@link RoomFanout}. Event-loop confined.
 */
final class RoomFeeds {
  /** Sub and unsub requests of one connection under way at once; beyond it they are refused (rate_limited). */
  static final int MAX_WAITING_REQUESTS = 1024;

  private final Connection conn;
  private final RoomService rooms;
  private final GatewayVerticle gateway;
  private final RoomFanout fanout;
  /** The connection's subscription per room (an ended one stays until the room's next request). */
  private final Map<String, RoomSub> subs = new HashMap<>();
  /** Sub and unsub requests per room: the last one under way (the next waits for it). */
  private final Map<String, Future<Void>> requests = new HashMap<>();
  private int waitingRequests;

  RoomFeeds(Connection conn, RoomService rooms, GatewayVerticle gateway) {
    this.conn = conn;
    this.rooms = rooms;
    this.gateway = gateway;
    this.fanout = gateway.rooms();
  }

  /**
   * Subscribes to the room (membership is checked); answers subbed, then replays after since.
   * Requests for one room are carried out one after the other, each answered (a client may
   * pipeline subs and unsubs of one room: every one with a ref gets its reply, in order).
   */
  void subscribe(String rid, Long since, Object ref) {
    inOrder(rid, ref, () -> start(rid, since, ref));
  }

  /** Ends the subscription to the room (after any request for it still under way) and answers unsubbed. */
  void unsubscribe(String rid, Object ref) {
    inOrder(rid, ref, () -> {
      drop(rid);
      conn.write(Frames.unsubbed(rid, ref));
      return Future.succeededFuture();
    });
  }

  /** True when the connection has a live subscription to the room (or one being set up). */
  boolean isSubscribed(String rid) {
    RoomSub sub = subs.get(rid);
    return sub != null && !sub.isEnded();
  }

  private void inOrder(String rid, Object ref, Supplier<Future<Void>> op) {
    if (waitingRequests >= MAX_WAITING_REQUESTS) {
      conn.write(Frames.error(new ApiException(ErrorCode.RATE_LIMITED,
          "too many sub and unsub requests under way, wait for their replies"), ref, null));
      return;
    }
    waitingRequests++;
    Future<Void> before = requests.get(rid);
    Future<Void> done;
    if (before == null) {
      done = op.get();
    } else {
      Promise<Void> after = gateway.promise();
      before.onComplete(v -> (conn.isOpen() ? op.get() : Future.<Void>succeededFuture()).onComplete(after));
      done = after.future();
    }
    requests.put(rid, done);
    done.onComplete(v -> {
      waitingRequests--;
      if (requests.get(rid) == done) {
        requests.remove(rid);
      }
    });
  }

  private Future<Void> start(String rid, Long since, Object ref) {
    Promise<Void> answered = gateway.promise();
    rooms.requireMember(conn.user().id(), rid).onComplete(ar -> {
      if (!conn.isOpen()) {
        answered.complete(); // closed meanwhile: nothing may be registered for it any more
        return;
      }
      if (ar.failed()) {
        conn.write(Frames.error(ApiException.from(ar.cause()), ref, null));
        answered.complete();
        return;
      }
      drop(rid);
      RoomSub sub = new RoomSub(rid, conn, since);
      subs.put(rid, sub);
      fanout.subscribe(sub).onComplete(h -> {
        if (sub.isEnded()) {
          answered.complete();
          return; // dropped meanwhile (the connection closed, or the membership was revoked)
        }
        if (h.failed()) {
          drop(rid);
          conn.write(Frames.error(ApiException.from(h.cause()), ref, null));
          answered.complete();
          return;
        }
        conn.write(Frames.subbed(rid, h.result(), ref));
        answered.complete(); // only now may the next request for the room go on
        fanout.start(sub, h.result());
      });
    });
    return answered.future();
  }

  /** Ends this connection's subscription to the room, if any. */
  void drop(String rid) {
    RoomSub sub = subs.remove(rid);
    if (sub != null) {
      fanout.end(sub);
    }
  }

  /** Ends every subscription (the connection closed). */
  void dropAll() {
    for (String rid : new ArrayList<>(subs.keySet())) {
      drop(rid);
    }
  }
}
