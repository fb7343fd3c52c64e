package io.sealroom.client;

import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The room keys this user holds and the flows that move them (DESIGN.md, E2E key formats):
 * fetch own keys (current and history), establish a room's first key race-safely (POST
 * key-id; on 409 wait for the key frame), hand the current key to waiting members, rotate
 * when a room is marked rotationDue. Every key received is checked against its kid.
 * Engine-confined; REST calls block the engine thread but never wait for a frame.
 */
final class KeyAgent {
  private static final Logger LOG = Logger.getLogger(KeyAgent.class.getName());

  /** What a message's kid resolves to. */
  enum Fate { FOUND, HOLD, UNAVAILABLE }

  private final Rest rest;
  private final RoomDirectory rooms;
  private final Supplier<PrivateKeys> own;
  private final Consumer<String> changed;
  private final Map<String, Map<String, byte[]>> ring = new HashMap<>();
  private final Set<String> fetched = new HashSet<>();
  private final Map<String, Set<String>> unavailable = new HashMap<>();

  KeyAgent(Rest rest, RoomDirectory rooms, Supplier<PrivateKeys> own, Consumer<String> changed) {
    this.rest = rest;
    this.rooms = rooms;
    this.own = own;
    this.changed = changed;
  }

  byte[] key(String rid, String kid) {
    Map<String, byte[]> m = ring.get(rid);
    return m == null || kid == null ? null : m.get(kid);
  }

  /** The key whose kid is the room's current e2eKeyId, if held. */
  byte[] current(String rid) {
    return key(rid, rooms.get(rid).e2eKeyId());
  }

  /** Forgets every key (after an E2E reset the server dropped them too). */
  void clear() {
    ring.clear();
    fetched.clear();
    unavailable.clear();
  }

  void forget(String rid) {
    ring.remove(rid);
    fetched.remove(rid);
    unavailable.remove(rid);
  }

  /**
   * Makes sure this user holds, or is on the way to hold, the current key of an encrypted
   * room: use it, fetch it, or establish the room's first key. Rotates when due.
   */
  void ensure(String rid) {
    PrivateKeys k = own.get();
    Room room = rooms.get(rid);
    if (k == null || !room.encrypted()) {
      return;
    }
    if (current(rid) == null) {
      fetchOwn(rid, k);
      room = rooms.get(rid);
    }
    if (current(rid) != null) {
      maybeRotate(room);
    } else if (room.e2eKeyId() == null) {
      establish(rid, k);
    }
    // otherwise the key comes with a key frame once a holder hands it over
  }

  /** Decides what to do with a message under {@code kid} that may not be readable yet. */
  Fate fate(String rid, String kid) {
    if (key(rid, kid) != null) {
      return Fate.FOUND;
    }
    PrivateKeys k = own.get();
    if (k == null) {
      return Fate.HOLD;
    }
    if (unavailable.getOrDefault(rid, Set.of()).contains(kid)) {
      return Fate.UNAVAILABLE;
    }
    if (!fetched.contains(rid)) {
      fetchOwn(rid, k);
      if (key(rid, kid) != null) {
        return Fate.FOUND;
      }
    }
    Room room = rooms.get(rid);
    if (!kid.equals(room.e2eKeyId())) {
      room = rooms.refresh(rid);
    }
    if (room.encrypted() && kid.equals(room.e2eKeyId())) {
      ensure(rid);
      return key(rid, kid) != null ? Fate.FOUND : Fate.HOLD;
    }
    // an earlier key this user was never given (history from before they had keys), or a
    // room no longer encrypted, whose key nobody hands out any more
    unavailable.computeIfAbsent(rid, r -> new HashSet<>()).add(kid);
    return Fate.UNAVAILABLE;
  }

  /** A key frame: a key for this user was stored. */
  void onKey(String rid) {
    PrivateKeys k = own.get();
    if (k != null) {
      fetchOwn(rid, k);
      unavailable.remove(rid);
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
      fetchOwn(rid, k);
    }
    handOver(rid);
  }

  /** A room changed: rotate if it is due and this user holds the key. */
  void onRoom(Room room) {
    if (room.encrypted() && own.get() != null && current(room.id()) != null) {
      maybeRotate(room);
    }
  }

  /** GET e2e/key: own current key and history, each checked against its kid. */
  void fetchOwn(String rid, PrivateKeys k) {
    JsonObject res;
    try {
      res = rest.get("/api/v1/rooms/" + Rest.enc(rid) + "/e2e/key");
    } catch (SealroomException e) {
      if (e.status() == 404) {
        fetched.add(rid);
        return;
      }
      throw e;
    }
    fetched.add(rid);
    accept(rid, k, res.getString("kid"), res.getValue("key"));
    JsonArray old = res.getJsonArray("old", new JsonArray());
    for (int i = 0; i < old.size(); i++) {
      JsonObject o = old.getJsonObject(i);
      accept(rid, k, o.getString("kid"), o.getValue("key"));
    }
  }

  private void accept(String rid, PrivateKeys k, String kid, Object key) {
    if (kid == null || key == null || key(rid, kid) != null) {
      return;
    }
    JsonObject obj = key instanceof JsonObject ? (JsonObject) key
        : new JsonObject().put("kid", kid).put("alg", "RSA-OAEP-256").put("ct", key);
    try {
      add(rid, kid, MemberKeys.unwrap(k.rsaPrivate(), obj, kid));
    } catch (SealroomException e) {
      LOG.log(Level.WARNING, "rejected a room key for room {0}: {1}", new Object[] {rid, e.getMessage()});
    }
  }

  private void add(String rid, String kid, byte[] raw) {
    ring.computeIfAbsent(rid, r -> new HashMap<>()).put(kid, raw);
  }

  /** POST e2e/key-id: exactly one establishing member wins; the others wait for the key frame. */
  private void establish(String rid, PrivateKeys k) {
    byte[] raw = RoomKeys.generate();
    String kid = RoomKeys.kid(raw);
    JsonObject body = new JsonObject().put("kid", kid).put("key", MemberKeys.wrap(k.rsaPublic(), raw));
    try {
      rest.post("/api/v1/rooms/" + Rest.enc(rid) + "/e2e/key-id", body);
    } catch (SealroomException e) {
      if ("key_id_exists".equals(e.code())) {
        rooms.keyId(rid, e.kid());
        return;
      }
      throw e;
    }
    add(rid, kid, raw);
    rooms.keyId(rid, kid);
    changed.accept(rid);
    handOver(rid);
  }

  /** GET e2e/waiting, then POST e2e/keys with the current key wrapped for each waiting member. */
  void handOver(String rid) {
    byte[] cur = current(rid);
    if (cur == null) {
      return;
    }
    String kid = RoomKeys.kid(cur);
    String base = "/api/v1/rooms/" + Rest.enc(rid) + "/e2e/";
    JsonArray users = rest.get(base + "waiting").getJsonArray("users", new JsonArray());
    JsonArray keys = new JsonArray();
    for (int i = 0; i < users.size(); i++) {
      JsonObject u = users.getJsonObject(i);
      try {
        keys.add(new JsonObject().put("userId", u.getString("id")).put("key", MemberKeys.wrap(u.getValue("publicKey"), cur)));
      } catch (SealroomException e) {
        LOG.log(Level.WARNING, "skipped a waiting member of room {0}: {1}", new Object[] {rid, e.getMessage()});
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    try {
      rest.post(base + "keys", new JsonObject().put("keys", keys));
    } catch (SealroomException e) {
      // another holder may have served some of them, or the key moved on: the server says which
      LOG.log(Level.FINE, "handing over the key {0} of room {1} was refused: {2}", new Object[] {kid, rid, e.code()});
    }
  }

  /** POST e2e/rotate when the room is marked rotationDue; a 409 means someone else rotated first. */
  private void maybeRotate(Room known) {
    PrivateKeys k = own.get();
    if (!known.rotationDue() || current(known.id()) == null || k == null) {
      return;
    }
    Room room;
    try {
      room = rooms.refresh(known.id()); // a removed member hears of its removal too: it must not rotate
    } catch (SealroomException e) {
      if (e.status() == 403 || e.status() == 404) {
        forget(known.id());
        rooms.forget(known.id());
        return;
      }
      throw e;
    }
    if (!room.rotationDue() || current(room.id()) == null) {
      return;
    }
    byte[] raw = RoomKeys.generate();
    String kid = RoomKeys.kid(raw);
    JsonObject body = new JsonObject().put("previousKid", room.e2eKeyId()).put("kid", kid)
        .put("key", MemberKeys.wrap(k.rsaPublic(), raw));
    try {
      rooms.update(Wire.room(orEmpty(rest.post("/api/v1/rooms/" + Rest.enc(room.id()) + "/e2e/rotate", body), room)));
    } catch (SealroomException e) {
      if (e.status() == 409 || e.status() == 403) {
        rooms.refresh(room.id());
        fetchOwn(room.id(), k);
        changed.accept(room.id());
        return;
      }
      throw e;
    }
    add(room.id(), kid, raw);
    rooms.keyId(room.id(), kid);
    changed.accept(room.id());
    handOver(room.id());
  }

  /** The rotate answer when it is a room; else the room as known, with the rotation applied. */
  private static JsonObject orEmpty(JsonObject answer, Room known) {
    if (answer.getString("id") != null && answer.getString("type") != null) {
      return answer;
    }
    return new JsonObject().put("id", known.id()).put("type", known.type().code()).put("name", known.name())
        .put("ownerId", known.ownerId()).put("encrypted", true).put("e2eKeyId", known.e2eKeyId())
        .put("rotationDue", false).put("head", known.head());
  }
}
