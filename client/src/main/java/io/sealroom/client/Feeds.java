package io.sealroom.client;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's subscriptions: routes messages to their room's feed, delivers what each feed
 * releases to its handler on the delivery thread (in order, one at a time), and closes gaps
 * that outlive {@code gapMs} from history, skipping a seq the store does not have (a number
 * the server lost in a crash). Engine-confined; handlers run on the delivery executor.
 */
final class Feeds {
  private static final Logger LOG = Logger.getLogger(Feeds.class.getName());
  private static final int PAGE = 200;

  private final ScheduledExecutorService engine;
  private final Executor delivery;
  private final Rest rest;
  private final Opener opener;
  private final long gapMs;
  private final Map<String, RoomFeed> feeds = new HashMap<>();

  Feeds(ScheduledExecutorService engine, Executor delivery, Rest rest, Opener opener, long gapMs) {
    this.engine = engine;
    this.delivery = delivery;
    this.rest = rest;
    this.opener = opener;
    this.gapMs = gapMs;
  }

  RoomFeed get(String rid) {
    return feeds.get(rid);
  }

  Collection<RoomFeed> all() {
    return new ArrayList<>(feeds.values());
  }

  /** Registers a feed, replacing any earlier one for the room. */
  void add(RoomFeed f) {
    RoomFeed old = feeds.put(f.rid, f);
    if (old != null) {
      old.subscription.ended();
      cancelGap(old);
    }
  }

  RoomFeed remove(String rid) {
    RoomFeed f = feeds.remove(rid);
    if (f != null) {
      cancelGap(f);
    }
    return f;
  }

  void onMsg(JsonObject m) {
    RoomFeed f = feeds.get(m.getString("room"));
    if (f != null) {
      f.offer(m);
      advance(f);
    }
  }

  void onSubbed(String rid, long head) {
    RoomFeed f = feeds.get(rid);
    if (f != null) {
      f.onSubbed(head);
      advance(f);
    }
  }

  /** Retries the held messages of a room (its keys changed, or E2E was unlocked). */
  void retry(String rid) {
    RoomFeed f = feeds.get(rid);
    if (f != null) {
      advance(f);
    }
  }

  private void advance(RoomFeed f) {
    List<ChatMessage> out;
    try {
      out = f.drain(opener::open);
    } catch (SealroomException e) {
      // a key lookup failed (server busy): keep holding, try again with the next event
      LOG.log(Level.FINE, "holding messages of room {0}: {1}", new Object[] {f.rid, e.code()});
      out = List.of();
    }
    for (ChatMessage m : out) {
      delivery.execute(() -> dispatch(f, m));
    }
    if (f.hasGap() && f.gapTimer == null) {
      f.gapTimer = engine.schedule(() -> fillGap(f), gapMs, TimeUnit.MILLISECONDS);
    }
  }

  private static void dispatch(RoomFeed f, ChatMessage m) {
    if (!f.subscription.isActive()) {
      return;
    }
    try {
      f.handler.onMessage(m);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a message handler of room " + f.rid + " threw", e);
    }
  }

  private void fillGap(RoomFeed f) {
    f.gapTimer = null;
    if (feeds.get(f.rid) != f || !f.hasGap()) {
      return;
    }
    try {
      JsonArray page = rest.get("/api/v1/rooms/" + Rest.enc(f.rid) + "/messages?after=" + f.contiguous()
          + "&limit=" + PAGE).getJsonArray("messages", new JsonArray());
      for (int i = 0; i < page.size(); i++) {
        f.offer(page.getJsonObject(i));
      }
      if (f.hasGap()) {
        // the next seq is in neither the live stream nor the store: the server lost it
        f.skipTo(f.firstHeld() - 1);
      }
    } catch (SealroomException e) {
      LOG.log(Level.FINE, "history of room {0} unavailable: {1}", new Object[] {f.rid, e.code()});
    }
    advance(f);
  }

  private static void cancelGap(RoomFeed f) {
    if (f.gapTimer != null) {
      f.gapTimer.cancel(false);
      f.gapTimer = null;
    }
  }
}
