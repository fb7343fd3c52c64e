package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.messages.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;

/**
 * One connection's room subscriptions (docs/protocol.md, sub and delivery semantics): live
 * frames once the room's consumer is registered, the stored messages after {@code since}
 * replayed before them, and the store read again for what live delivery missed: a gap that stays
 * open, a clustered node's new subscription, every subscription when a cluster member left.
 * Event-loop confined.
 */
final class RoomFeeds {
  private static final int REPLAY_PAGE = 500;
  /** When a clustered node checks a new subscription against the store (after subscribing, then after the one before). */
  private static final long[] CATCH_UP_MS = {300, 2000};
  /** How long a gap in a subscription's seqs may stay open before it is filled from the store. */
  static final long GAP_MS = 250;

  private final Connection conn;
  private final Services services;
  private final GatewayVerticle gateway;
  private final boolean clustered;
  /** Sub and unsub requests per room: the last one under way (the next waits for it). */
  private final java.util.Map<String, Future<Void>> requests = new java.util.HashMap<>();
  private int waitingRequests;
  /** Sub and unsub requests of one connection under way at once; beyond it they are refused (rate_limited). */
  static final int MAX_WAITING_REQUESTS = 1024;

  RoomFeeds(Connection conn, Services services, GatewayVerticle gateway) {
    this.conn = conn;
    this.services = services;
    this.gateway = gateway;
    this.clustered = services.config().cluster().enabled();
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

  private void inOrder(String rid, Object ref, java.util.function.Supplier<Future<Void>> op) {
    if (waitingRequests >= MAX_WAITING_REQUESTS) {
      conn.write(Frames.error(new ApiException(io.sealroom.common.ErrorCode.RATE_LIMITED,
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
    services.rooms().requireMember(conn.user.id(), rid).onComplete(ar -> {
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
      conn.subs.put(rid, sub);
      // the head is read once live frames are being received: every seq up to it is stored or on its way live
      gateway.rooms().add(rid, sub).compose(v -> services.messages().head(rid)).onComplete(h -> {
        if (conn.subs.get(rid) != sub) {
          answered.complete();
          return; // the connection closed meanwhile (it left every registry)
        }
        if (h.failed()) {
          drop(rid);
          conn.write(Frames.error(ApiException.from(h.cause()), ref, null));
          answered.complete();
          return;
        }
        conn.write(Frames.subbed(rid, h.result(), ref));
        answered.complete(); // only now may the next request for the room go on
        if (clustered) {
          sub.track(h.result());
          catchUpLater(sub, 0);
        }
        if (sub.replaying) {
          replay(sub, sub.floor(), h.result());
        }
      });
    });
    return answered.future();
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
      Promise<Void> checked = Promise.promise();
      gateway.later(GAP_MS, () -> {
        if (live(sub) && !sub.replaying && sub.floor() < head) {
          startReplay(sub, Math.max(head, sub.highest()));
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
        startReplay(sub, sub.highest());
      }
    });
  }

  private boolean live(RoomSub sub) {
    return conn.isOpen() && conn.subs.get(sub.rid) == sub;
  }

  /** Live frames wait while the store fills in what the subscription has not had up to the head. */
  private void startReplay(RoomSub sub, long head) {
    sub.replaying = true;
    replay(sub, sub.floor(), head);
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
      if (!live(sub)) {
        return;
      }
      if (ar.failed()) {
        drop(sub.rid);
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
      if (live(sub)) {
        if (h.succeeded()) {
          replay(sub, sub.floor(), h.result());
        } else {
          drop(sub.rid);
          conn.write(Frames.error(ApiException.from(h.cause()), null, null));
        }
      }
    });
  }

  /** Ends this connection's live subscription to the room, if any. */
  void drop(String rid) {
    RoomSub sub = conn.subs.remove(rid);
    if (sub != null) {
      gateway.rooms().remove(rid, sub);
    }
  }

  /** Ends every subscription (the connection closed). */
  void dropAll() {
    for (String rid : new ArrayList<>(conn.subs.keySet())) {
      drop(rid);
    }
  }
}
