package io.sealroom.client;

import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The room keys this user holds, current and older ones (to read history), by room and kid.
 * Keys come from GET e2e/key and are checked against their kid before they are kept. Also
 * remembers which kids turned out to be unobtainable. Engine-confined.
 */
final class KeyRing {
  private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());

  private final Rest rest;
  private final Map<String, Map<String, byte[]>> keys = new HashMap<>();
  private final Set<String> fetched = new HashSet<>();
  private final Map<String, Set<String>> unavailable = new HashMap<>();

  KeyRing(Rest rest) {
    this.rest = rest;
  }

  byte[] key(String rid, String kid) {
    Map<String, byte[]> m = keys.get(rid);
    return m == null || kid == null ? null : m.get(kid);
  }

  void add(String rid, String kid, byte[] raw) {
    keys.computeIfAbsent(rid, r -> new HashMap<>()).put(kid, raw);
  }

  /** Whether own keys of the room were read since the last key event. */
  boolean fetched(String rid) {
    return fetched.contains(rid);
  }

  boolean unavailable(String rid, String kid) {
    return unavailable.getOrDefault(rid, Set.of()).contains(kid);
  }

  void markUnavailable(String rid, String kid) {
    unavailable.computeIfAbsent(rid, r -> new HashSet<>()).add(kid);
  }

  void forget(String rid) {
    keys.remove(rid);
    fetched.remove(rid);
    unavailable.remove(rid);
  }

  void clear() {
    keys.clear();
    fetched.clear();
    unavailable.clear();
  }

  /** GET e2e/key: own current key and history, each unwrapped and checked against its kid. */
  void fetchOwn(String rid, PrivateKeys own) {
    JsonObject res;
    try {
      res = rest.get("/api/v1/rooms/" + Rest.enc(rid) + "/e2e/key");
    } catch (SealroomException e) {
      if (!"no_keys".equals(e.code())) {
        throw e;
      }
      res = new JsonObject();
    }
    fetched.add(rid);
    unavailable.remove(rid);
    accept(rid, own, res.getString("kid"), res.getValue("key"));
    JsonArray old = res.getJsonArray("old", new JsonArray());
    for (int i = 0; i < old.size(); i++) {
      JsonObject o = old.getJsonObject(i);
      accept(rid, own, o.getString("kid"), o.getValue("key"));
    }
  }

  private void accept(String rid, PrivateKeys own, String kid, Object key) {
    if (kid == null || !(key instanceof JsonObject) || key(rid, kid) != null) {
      return;
    }
    try {
      add(rid, kid, MemberKeys.unwrap(own.rsaPrivate(), (JsonObject) key, kid));
    } catch (SealroomException e) {
      // a key that does not hash to its kid is refused: nobody can slip in another key
      LOG.log(Level.WARNING, "rejected a room key for room {0}: {1}", new Object[] {rid, e.getMessage()});
    }
  }
}
