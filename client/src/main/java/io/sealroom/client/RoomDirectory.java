package io.sealroom.client;

import java.util.HashMap;
import java.util.Map;

/** The latest known state of the rooms the client deals with; fetched on first use. Engine-confined. */
final class RoomDirectory {
  private final Rest rest;
  private final Map<String, Room> rooms = new HashMap<>();

  RoomDirectory(Rest rest) {
    this.rest = rest;
  }

  Room get(String rid) {
    Room r = rooms.get(rid);
    return r != null ? r : refresh(rid);
  }

  /** Reads the room from the server (throws when the user is no longer a member). */
  Room refresh(String rid) {
    Room r = Wire.room(rest.get("/api/v1/rooms/" + Rest.enc(rid)));
    rooms.put(rid, r);
    return r;
  }

  /**
   * Merges a room frame or answer: role and hasKey survive a frame that lacks them; key holders
   * do not (a frame means the room changed, so they are unknown until the next read).
   */
  Room update(Room r) {
    Room old = rooms.get(r.id());
    if (old != null && r.role() == null) {
      r = new Room(r.id(), r.type(), r.name(), r.ownerId(), r.encrypted(), r.e2eKeyId(), r.rotationDue(), r.head(),
          old.role(), old.hasKey(), r.members().isEmpty() ? old.members() : r.members(), r.keyHolders());
    }
    rooms.put(r.id(), r);
    return r;
  }

  /** Records the room's key id (learned from a 409 or a stale_key error). */
  void keyId(String rid, String kid) {
    Room r = rooms.get(rid);
    if (r != null && kid != null && !kid.equals(r.e2eKeyId())) {
      rooms.put(rid, new Room(r.id(), r.type(), r.name(), r.ownerId(), r.encrypted(), kid, r.rotationDue(),
          r.head(), r.role(), r.hasKey(), r.members(), null));
    }
  }

  void forget(String rid) {
    rooms.remove(rid);
  }
}
