package io.sealroom.client;

import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client duties of docs/protocol.md for room keys: get a room's key, establish the first
 * key race-safely (POST key-id; on 409 wait for the key frame), hand the current key to
 * waiting members, rotate when a room is marked rotationDue, and recover a room whose key no
 * member holds any more (rotate with previousKid = that key; on 409 take the winner's key).
 * {@code changed} is told whenever the keys of a room changed. A room key is wrapped to a waiting
 * member only after {@link Trust#keyForMember} proved their key version in the
 * key-transparency log and found no changed identity. Engine-confined; REST calls
 * block the engine thread but never wait for a frame.
 */
final class KeyAgent {
  private static final Logger LOG = Logger.getLogger(KeyAgent.class.getName());
  private static final int HAND_OVER_BATCH = 500;

  /** What a message's kid resolves to. */
  enum Fate { FOUND, HOLD, UNAVAILABLE }

  private final Rest rest;
  private final RoomDirectory rooms;
  private final KeyRing ring;
  private final Supplier<PrivateKeys> own;
  private final Consumer<String> changed;
  private final Trust trust;

  KeyAgent(Rest rest, RoomDirectory rooms, Supplier<PrivateKeys> own, Consumer<String> changed, Trust trust) {
    this.rest = rest;
    this.rooms = rooms;
    this.ring = new KeyRing(rest);
    this.own = own;
    this.changed = changed;
    this.trust = trust;
  }

  boolean unlocked() {
    return own.get() != null;
  }

  byte[] key(String rid, String kid) {
    return ring.key(rid, kid);
  }

  /** The key whose kid is the room's current e2eKeyId, if held. */
  byte[] current(String rid) {
    return ring.key(rid, rooms.get(rid).e2eKeyId());
  }

  /** Forgets every key (after an E2E reset the server dropped them too). */
  void clear() {
    ring.clear();
  }

  void forget(String rid) {
    ring.forget(rid);
  }

  /** Holds, fetches, or establishes the current key of an encrypted room; rotates when due. */
  void ensure(String rid) {
    PrivateKeys k = own.get();
    Room room = rooms.get(rid);
    if (k == null || !room.encrypted()) {
      return;
    }
    if (current(rid) == null) {
      ring.fetchOwn(rid, k);
      room = rooms.get(rid);
    }
    if (current(rid) != null) {
      maybeRotate(room);
    } else if (room.e2eKeyId() == null) {
      establish(rid, k);
    } else {
      maybeRecover(rid, k);
    }
    // otherwise a holder hands the key over and a key frame says so
  }

  /**
   * On connect and after unlocking: catch up with the key events missed meanwhile, in every
   * room of the user (keys.needed is not repeated). {@code subscribed} rooms also get a key.
   */
  void sweep(List<Room> mine, Collection<String> subscribed) {
    if (own.get() == null) {
      return;
    }
    for (Room r : mine) {
      rooms.update(r);
      if (!r.encrypted()) {
        continue;
      }
      Threads.guard(() -> {
        if (Boolean.TRUE.equals(r.hasKey()) || subscribed.contains(r.id())) {
          ensure(r.id());
          handOver(r.id(), true);
        }
      });
    }
  }

  /** Decides what to do with a message under {@code kid} that may not be readable yet. */
  Fate fate(String rid, String kid) {
    if (ring.key(rid, kid) != null) {
      return Fate.FOUND;
    }
    PrivateKeys k = own.get();
    if (k == null) {
      return Fate.HOLD;
    }
    if (ring.unavailable(rid, kid)) {
      return Fate.UNAVAILABLE;
    }
    if (!ring.fetched(rid)) {
      ring.fetchOwn(rid, k);
      if (ring.key(rid, kid) != null) {
        return Fate.FOUND;
      }
    }
    Room room = rooms.get(rid);
    if (!kid.equals(room.e2eKeyId())) {
      room = rooms.refresh(rid);
    }
    if (room.encrypted() && kid.equals(room.e2eKeyId())) {
      ensure(rid);
      if (ring.key(rid, kid) != null) {
        return Fate.FOUND;
      }
      if (kid.equals(rooms.get(rid).e2eKeyId())) {
        return Fate.HOLD; // a holder hands it over
      }
      // nobody held it: the room was recovered with a new key meanwhile
    }
    // an earlier key this user was never given (history from before they had keys or before
    // their reset, or a key nobody held any more), or a room no longer encrypted: nobody hands
    // it out any more
    ring.markUnavailable(rid, kid);
    return Fate.UNAVAILABLE;
  }

  /** A key frame: a key for this user was stored. */
  void onKey(String rid) {
    PrivateKeys k = own.get();
    if (k != null) {
      ring.fetchOwn(rid, k);
      changed.accept(rid);
    }
  }

  /** A keys.needed frame: members are waiting for the key this user holds. */
  void onKeysNeeded(String rid) {
    PrivateKeys k = own.get();
    if (k == null) {
      return;
    }
    if (current(rid) == null) {
      ring.fetchOwn(rid, k);
    }
    handOver(rid, true);
  }

  /** A room changed: rotate if it is due and this user holds the key. */
  void onRoom(Room room) {
    if (room.encrypted() && own.get() != null && current(room.id()) != null) {
      maybeRotate(room);
    }
  }

  /** POST e2e/key-id: exactly one establishing member wins; the others wait for the key frame. */
  private void establish(String rid, PrivateKeys k) {
    byte[] raw = RoomKeys.generate();
    String kid = RoomKeys.kid(raw);
    JsonObject body = new JsonObject().put("kid", kid).put("key", MemberKeys.wrap(k.rsaPublic(), raw));
    try {
      rooms.update(Wire.room(rest.post("/api/v1/rooms/" + Rest.enc(rid) + "/e2e/key-id", body)));
    } catch (SealroomException e) {
      if (!"key_id_exists".equals(e.code())) {
        throw e;
      }
      // someone else won: drop ours, take theirs if it was handed over already, else wait
      rooms.keyId(rid, e.kid());
      ring.fetchOwn(rid, k);
      if (current(rid) != null) {
        changed.accept(rid);
      }
      return;
    }
    ring.add(rid, kid, raw);
    rooms.keyId(rid, kid);
    changed.accept(rid);
    handOver(rid, true);
  }

  /** GET e2e/waiting, then POST e2e/keys with the current key wrapped for each waiting member. */
  void handOver(String rid, boolean retry) {
    byte[] cur = current(rid);
    if (cur == null) {
      return;
    }
    String base = "/api/v1/rooms/" + Rest.enc(rid) + "/e2e/";
    try {
      JsonArray users = rest.get(base + "waiting").getJsonArray("users", new JsonArray());
      JsonArray keys = new JsonArray();
      for (int i = 0; i < users.size(); i++) {
        JsonObject u = users.getJsonObject(i);
        try {
          RSAPublicKey checked = trust.keyForMember(u.getString("id"), u.getString("username"), u.getValue("publicKey"));
          keys.add(new JsonObject().put("userId", u.getString("id")).put("key", MemberKeys.wrap(checked, cur)));
        } catch (SealroomException e) {
          // unproven by the log, a changed identity, or an unusable key: this member gets no key
          // (they stay waiting; the next hand-over tries again)
          LOG.log(Level.WARNING, "did not hand the key of room {0} to a waiting member: {1}",
              new Object[] {rid, e.getMessage()});
        }
      }
      // the body limit (256 KiB) holds about 580 keys of 2048-bit RSA
      for (int from = 0; from < keys.size(); from += HAND_OVER_BATCH) {
        JsonArray batch = new JsonArray(keys.getList().subList(from, Math.min(keys.size(), from + HAND_OVER_BATCH)));
        rest.post(base + "keys", new JsonObject().put("keys", batch));
      }
    } catch (SealroomException e) {
      if (!retry || !("stale_key".equals(e.code()) || "forbidden".equals(e.code()))) {
        throw e;
      }
      // the key moved on meanwhile: fetch the current one, then try once more
      rooms.refresh(rid);
      ring.fetchOwn(rid, own.get());
      changed.accept(rid);
      handOver(rid, false);
    }
  }

  /**
   * The room has a key this user does not hold: if no member holds it any more (keyHolders of
   * a fresh read is empty), nobody can hand it out, so replace it (the server records the
   * rotation as "recovered"); what was sealed under it is lost.
   */
  private void maybeRecover(String rid, PrivateKeys k) {
    Room room = rooms.refresh(rid);
    if (room.encrypted() && room.keyLost() && current(rid) == null) {
      LOG.log(Level.INFO, "no member holds the key of room {0} any more: replacing it", rid);
      rotate(room, k);
    }
  }

  /** POST e2e/rotate when the room is marked rotationDue; a stale_key means someone else rotated first. */
  private void maybeRotate(Room known) {
    PrivateKeys k = own.get();
    if (!known.rotationDue() || current(known.id()) == null || k == null) {
      return;
    }
    String rid = known.id();
    Room room;
    try {
      room = rooms.refresh(rid); // a removed member hears of its removal too: it must not rotate
    } catch (SealroomException e) {
      if (e.status() == 403 || e.status() == 404) {
        forget(rid);
        rooms.forget(rid);
        return;
      }
      throw e;
    }
    if (!room.rotationDue() || current(rid) == null) {
      return;
    }
    rotate(room, k);
  }

  /**
   * POST e2e/rotate {previousKid: the room's kid}, then hands the new key over. Another member
   * who rotated first makes it 409 stale_key (or 403 when they hold the key now): take theirs,
   * now if it was handed over already, else when the key frame comes.
   */
  private void rotate(Room room, PrivateKeys k) {
    String rid = room.id();
    byte[] raw = RoomKeys.generate();
    String kid = RoomKeys.kid(raw);
    JsonObject body = new JsonObject().put("previousKid", room.e2eKeyId()).put("kid", kid)
        .put("key", MemberKeys.wrap(k.rsaPublic(), raw));
    try {
      rooms.update(Wire.room(rest.post("/api/v1/rooms/" + Rest.enc(rid) + "/e2e/rotate", body)));
    } catch (SealroomException e) {
      if (e.status() == 409 || e.status() == 403) {
        rooms.refresh(rid);
        ring.fetchOwn(rid, k);
        changed.accept(rid);
        return;
      }
      throw e;
    }
    ring.add(rid, kid, raw);
    rooms.keyId(rid, kid);
    changed.accept(rid);
    handOver(rid, true);
  }
}
