package io.sealroom.gateway;

import io.sealroom.common.Addresses;
import io.sealroom.common.ApiException;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One gateway instance's room fan-out (docs/protocol.md, sub and delivery semantics).
 *
 * <p>It keeps the registry of rooms to this instance's subscriptions, with one bus consumer per
 * room that has any (the first subscription registers it, the last one to end unregisters it).
 * A frame published at a room's address arrives once per instance, and the same encoded bytes
 * are written to every subscriber, each seq at most once per subscription; a connection's own
 * typing frame skips it.
 *
 * <p>What live delivery cannot give is read from the store, at most once per seq per
 * subscription: the history after a subscription's {@code since} (replayed before its live
 * frames, which are buffered meanwhile), a gap in the delivered seqs that stays open for
 * {@link #GAP_MS} (gap repair), and what another node published before it knew of a new
 * subscription here or what a cluster member that left published last (catch-up). A store
 * failure ends the subscription with an error frame; the client may subscribe again.
 *
 * <p>Confined to its instance's event loop.
 */
final class RoomFanout {
  private static final int REPLAY_PAGE = 500;
  /** When a clustered node checks a new subscription against the store (after subscribing, then after the one before). */
  private static final long[] CATCH_UP_MS = {300, 2000};
  /** How long a gap in a subscription's seqs may stay open before it is filled from the store. */
  static final long GAP_MS = 250;

  /** What the fan-out reads from the store (the caller checked membership). */
  interface History {
    /** The room's highest stored seq. */
    Future<Long> head(String rid);

    /** The stored messages with from &lt;= seq &lt;= to. */
    Future<List<Message>> range(String rid, long from, long to);

    static History of(MessageService messages) {
      return new History() {
        @Override
        public Future<Long> head(String rid) {
          return messages.head(rid);
        }

        @Override
        public Future<List<Message>> range(String rid, long from, long to) {
          return messages.range(rid, from, to);
        }
      };
    }
  }

  /** How the fan-out runs work later: after a delay, or handed back to its event loop from another thread. */
  interface Loop {
    void later(long delayMs, Runnable task);

    void execute(Runnable task);

    /** Timers and hand-overs of the context's Vert.x instance. */
    static Loop of(Context context) {
      return new Loop() {
        @Override
        public void later(long delayMs, Runnable task) {
          context.owner().setTimer(delayMs, t -> task.run());
        }

        @Override
        public void execute(Runnable task) {
          context.runOnContext(v -> task.run());
        }
      };
    }
  }

  private final EventBus bus;
  private final History history;
  private final Loop loop;
  private final GatewayMetrics metrics;
  private final boolean clustered;
  private final LocalRegistry<RoomFrame, RoomSub> registry;
  /** Room heads being read for catching up, one read per room at a time for all of this instance's subscriptions. */
  private final Map<String, Future<Long>> headReads = new HashMap<>();

  RoomFanout(EventBus bus, History history, Loop loop, GatewayMetrics metrics, boolean clustered) {
    this.bus = bus;
    this.history = history;
    this.loop = loop;
    this.metrics = metrics;
    this.clustered = clustered;
    this.registry = new LocalRegistry<>(bus, Addresses::room, RoomSub[]::new, this::deliver, metrics.roomSubscriptions);
  }

  /** Publishes the frame at the room's address: every instance with a subscriber of the room delivers it. */
  void publish(String rid, RoomFrame frame) {
    bus.publish(Addresses.room(rid), frame);
  }

  /**
   * Registers the subscription for the room's live frames. Completes with the room's head, read
   * once live frames are being received: every seq up to it is stored, or on its way live.
   */
  Future<Long> subscribe(RoomSub sub) {
    return registry.add(sub.rid, sub).compose(v -> history.head(sub.rid));
  }

  /**
   * The subscription was answered (subbed, at {@code head}): what it missed up to the head is
   * replayed, and in a cluster it is checked against the store a while later.
   */
  void start(RoomSub sub, long head) {
    if (clustered) {
      sub.track(head);
      catchUpLater(sub, 0);
    }
    if (sub.isReplaying()) {
      replay(sub, sub.floor(), head);
    }
  }

  /** Ends the subscription: nothing more is delivered to it (a subscription ended already is left as it is). */
  void end(RoomSub sub) {
    sub.end();
    registry.remove(sub.rid, sub);
  }

  /** Delivers one frame of the room's bus address to the room's current subscribers. */
  void deliver(String rid, RoomSub[] subs, RoomFrame f) {
    int written = 0;
    String except = f.exceptConnection();
    for (RoomSub sub : subs) {
      if (except != null && except.equals(sub.conn.id)) {
        continue;
      }
      if (deliverLive(sub, f)) {
        written++;
      }
    }
    if (f.seq() > 0) {
      metrics.delivered(written, f.publishedNanos());
    }
  }

  /** Delivers a live frame to one subscriber: buffered during replay, dropped when its seq was delivered already. */
  private boolean deliverLive(RoomSub sub, RoomFrame f) {
    if (sub.isReplaying()) {
      sub.buffer(f);
      return false;
    }
    if (!sub.firstDelivery(f.seq())) {
      return false;
    }
    sub.conn.writeShared(f.wire());
    if (sub.claimGapCheck()) {
      // usually the missing seq is a moment behind (published by another node); if not, the store has it
      repairGapLater(sub);
    }
    return true;
  }

  /** Every subscription of this instance is checked against the store (a cluster member left: what it published last may never have arrived). */
  void catchUpAll() {
    registry.forEach((rid, subs) -> {
      for (RoomSub sub : subs) {
        catchUpNow(sub);
      }
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
    loop.later(CATCH_UP_MS[attempt], () -> {
      if (!live(sub)) {
        return;
      }
      if (sub.isReplaying()) {
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
  private Future<Void> catchUpNow(RoomSub sub) {
    if (!live(sub) || sub.isReplaying()) {
      return Future.succeededFuture();
    }
    return sharedHead(sub.rid).compose(head -> {
      if (head <= sub.floor()) {
        return Future.<Void>succeededFuture();
      }
      Promise<Void> checked = Promise.promise();
      loop.later(GAP_MS, () -> {
        if (live(sub) && !sub.isReplaying() && sub.floor() < head) {
          replayFromStore(sub, Math.max(head, sub.highest()));
        }
        checked.complete();
      });
      return checked.future();
    }).recover(t -> Future.succeededFuture());
  }

  /**
   * The room's head for a catch-up check: a read already under way for the room serves every
   * subscription that asks meanwhile (after a member left, every subscription asks at once).
   * Not for {@link #subscribe}: that head must be read after the room's consumer is registered.
   */
  private Future<Long> sharedHead(String rid) {
    Future<Long> running = headReads.get(rid);
    if (running != null) {
      return running;
    }
    Future<Long> read = history.head(rid);
    headReads.put(rid, read);
    read.onComplete(ar -> loop.execute(() -> headReads.remove(rid, read)));
    return read;
  }

  /**
   * A delivered seq skipped one: a frame from another node may still be on its way, so look again
   * after {@link #GAP_MS}; a gap still open then is filled from the store (at most once per seq).
   */
  private void repairGapLater(RoomSub sub) {
    loop.later(GAP_MS, () -> {
      sub.gapChecked();
      if (live(sub) && !sub.isReplaying() && sub.hasGap()) {
        replayFromStore(sub, sub.highest());
      }
    });
  }

  private static boolean live(RoomSub sub) {
    return sub.conn.isOpen() && !sub.isEnded();
  }

  /** Live frames wait while the store fills in what the subscription has not had up to the head. */
  private void replayFromStore(RoomSub sub, long head) {
    sub.startReplay();
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
    history.range(sub.rid, cursor + 1, to).onComplete(ar -> {
      if (!live(sub)) {
        return;
      }
      if (ar.failed()) {
        fail(sub, ar.cause());
        return;
      }
      for (Message m : ar.result()) {
        if (sub.firstDelivery(m.seq())) {
          sub.conn.write(Frames.msg(m));
        }
      }
      sub.conn.whenDrained().onSuccess(v -> replay(sub, to, head));
    });
  }

  private void finishReplay(RoomSub sub) {
    if (sub.finishReplay()) {
      sub.drainBuffered(frame -> deliverLive(sub, frame));
      return;
    }
    history.head(sub.rid).onComplete(h -> {
      if (live(sub)) {
        if (h.succeeded()) {
          replay(sub, sub.floor(), h.result());
        } else {
          fail(sub, h.cause());
        }
      }
    });
  }

  /** A store read failed: the subscription ends and its client hears why. */
  private void fail(RoomSub sub, Throwable cause) {
    end(sub);
    sub.conn.write(Frames.error(ApiException.from(cause), null, null));
  }
}
