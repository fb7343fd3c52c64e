package io.sealroom.client;

import io.sealroom.client.json.JsonObject;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's frames once the socket is authenticated, each to the part that owns it:
 * messages to their feed, acks and send errors to the sender, room changes and key events to
 * the key agent. Engine-confined.
 */
final class Inbound {
  private static final Logger LOG = Logger.getLogger(Inbound.class.getName());
  private static final long RESUBSCRIBE_DELAY_MS = 1000;
  private static final String SUB_REF = "sub:";

  private final ScheduledExecutorService engine;
  private final Link link;
  private final Feeds feeds;
  private final Sender sender;
  private final KeyAgent keys;
  private final RoomDirectory rooms;
  private final Notifier notifier;

  Inbound(ScheduledExecutorService engine, Link link, Feeds feeds, Sender sender, KeyAgent keys, RoomDirectory rooms,
      Notifier notifier) {
    this.engine = engine;
    this.link = link;
    this.feeds = feeds;
    this.sender = sender;
    this.keys = keys;
    this.rooms = rooms;
    this.notifier = notifier;
  }

  void dispatch(JsonObject f) {
    switch (f.getString("op", "")) {
      case "msg": feeds.onMsg(f); break;
      case "subbed": feeds.onSubbed(f.getString("room"), f.getLong("head", 0L)); break;
      case "ack": sender.onAck(f); break;
      case "error": onError(f); break;
      case "room": onRoomFrame(f); break;
      case "keys.needed": keys.onKeysNeeded(f.getString("room")); break;
      case "key": keys.onKey(f.getString("room")); break;
      default: break; // pong, typing, unsubbed
    }
  }

  private void onError(JsonObject f) {
    if (sender.onError(f)) {
      return;
    }
    Object ref = f.getValue("ref");
    String code = f.getString("code");
    if (ref instanceof String && ((String) ref).startsWith(SUB_REF)) {
      String rid = ((String) ref).substring(SUB_REF.length());
      if ("unavailable".equals(code)) {
        engine.schedule(() -> resubscribe(rid), RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
      } else {
        endFeed(rid, code);
      }
    } else if ("unavailable".equals(code) && ref == null) {
      // a replay failed on the server and dropped its subscription; resubscribing is harmless for the others
      engine.schedule(() -> feeds.all().forEach(feed -> resubscribe(feed.rid)), RESUBSCRIBE_DELAY_MS,
          TimeUnit.MILLISECONDS);
    } else {
      LOG.log(Level.FINE, "server error frame: {0}", code);
    }
  }

  private void resubscribe(String rid) {
    RoomFeed f = feeds.get(rid);
    if (f != null && link.isReady()) {
      link.send(f.subFrame());
    }
  }

  private void endFeed(String rid, String code) {
    RoomFeed f = feeds.remove(rid);
    if (f != null) {
      f.subscription.ended();
      notifier.fire(l -> l.onSubscriptionEnded(rid, code));
    }
  }

  private void onRoomFrame(JsonObject f) {
    Room room = Wire.room(f.getJsonObject("room"));
    Removal removal = Wire.removal(f.getJsonObject("removed"));
    if (removal == null) {
      onRoom(room);
      return;
    }
    // this user left or was removed: the server ended the subscription; nothing of the room stays
    keys.forget(room.id());
    rooms.forget(room.id());
    notifier.fire(l -> l.onRemoved(room, removal));
    endFeed(room.id(), "not_member");
  }

  /** A room changed: a subscribed room is re-read (membership, key state), keys follow, held messages retry. */
  private void onRoom(Room frame) {
    Room known = rooms.update(frame);
    notifier.fire(l -> l.onRoomChanged(known));
    Room r = known;
    if (feeds.get(r.id()) != null) {
      try {
        r = rooms.refresh(r.id());
      } catch (SealroomException e) {
        if (e.status() == 403 || e.status() == 404) {
          keys.forget(r.id());
          endFeed(r.id(), e.code());
          return;
        }
        throw e;
      }
      if (r.encrypted()) {
        keys.ensure(r.id());
      }
    }
    keys.onRoom(r);
    feeds.retry(r.id());
  }
}
