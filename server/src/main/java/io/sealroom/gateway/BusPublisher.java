package io.sealroom.gateway;

import io.sealroom.common.Addresses;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessagePublisher;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomEvents;
import io.sealroom.rooms.RoomEvents.Removal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.util.Collection;
import java.util.LinkedHashSet;

/**
 * Publishes stored messages and room changes on the event bus: each message is encoded once
 * and published once at its room's address; each room change is encoded once and published at
 * the address of every user concerned. Thread-safe.
 */
public final class BusPublisher implements MessagePublisher, RoomEvents {
  private final EventBus bus;
  private final java.util.function.Consumer<String> localRoomChange;

  /**
   * {@code localRoomChange} is told the id of every room changed on this node at once, before
   * the bus carries the change to every node ({@link Addresses#ROOM_CHANGES}).
   */
  public BusPublisher(EventBus bus, java.util.function.Consumer<String> localRoomChange) {
    this.bus = bus;
    this.localRoomChange = localRoomChange;
  }

  @Override
  public void publish(Message m) {
    bus.publish(Addresses.room(m.rid()), new RoomFrame(m.seq(), Frames.msg(m), null, System.nanoTime()));
  }

  @Override
  public void keysNeeded(String rid, Collection<String> holders, java.util.List<io.sealroom.rooms.Waiting> waiting) {
    Buffer frame = Frames.keysNeeded(rid, waiting);
    for (String uid : new LinkedHashSet<>(holders)) {
      bus.publish(Addresses.user(uid), new UserFrame(frame, null));
    }
  }

  @Override
  public void keyStored(String rid, String kid, Collection<String> uids) {
    Buffer frame = Frames.key(rid, kid);
    for (String uid : new LinkedHashSet<>(uids)) {
      bus.publish(Addresses.user(uid), new UserFrame(frame, null));
    }
  }

  /** The user's sessions ended: every node refuses their older tokens and closes their sockets (but the kept session's). */
  public void sessionsEnded(String uid, io.sealroom.users.UserStore.SessionCutoff cutoff) {
    bus.publish(Addresses.SESSIONS, new io.vertx.core.json.JsonObject().put("uid", uid)
        .put("validAfter", cutoff.validAfterMs()).put("keepSid", cutoff.keepSid()));
    bus.publish(Addresses.user(uid), new UserFrame(null, null, cutoff.keepSid() == null ? "" : cutoff.keepSid(),
        cutoff.validAfterMs()));
  }

  @Override
  public void roomChanged(Room room, Collection<String> uids, Removal removed) {
    localRoomChange.accept(room.id());
    bus.publish(Addresses.ROOM_CHANGES, room.id());
    Buffer frame = Frames.roomEvent(room);
    for (String uid : new LinkedHashSet<>(uids)) {
      if (removed == null || !uid.equals(removed.uid())) {
        bus.publish(Addresses.user(uid), new UserFrame(frame, null));
      }
    }
    if (removed != null) {
      // the removed user hears why, and their subscriptions to the room end
      bus.publish(Addresses.user(removed.uid()), new UserFrame(Frames.roomRemoved(room, removed), room.id()));
    }
  }
}
