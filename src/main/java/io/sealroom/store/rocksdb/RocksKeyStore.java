package io.sealroom.store.rocksdb;

import io.sealroom.keys.KeyStore;
import io.sealroom.keys.UserKeys;
import io.sealroom.store.Docs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KeyStore} on the user documents ({@code e2e}, and {@code e2eFp} that uploads are
 * conditional on). The writer thread decides the condition, so of two uploads at once one lands;
 * a reset clears the user's keys and every room key of theirs in one atomic write.
 */
public final class RocksKeyStore implements KeyStore {
  private final RocksEngine engine;

  public RocksKeyStore(RocksEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<UserKeys> get(String uid) {
    return engine.read(v -> {
      JsonObject d = v.doc(RocksUserStore.userKey(uid));
      return d == null ? null : Docs.toKeys(d.getJsonObject("e2e"));
    });
  }

  @Override
  public Future<Map<String, UserKeys>> getAll(Collection<String> uids) {
    List<String> wanted = List.copyOf(uids);
    return engine.read(v -> {
      Map<String, UserKeys> out = new HashMap<>();
      for (String uid : wanted) {
        JsonObject d = v.doc(RocksUserStore.userKey(uid));
        UserKeys k = d == null ? null : Docs.toKeys(d.getJsonObject("e2e"));
        if (k != null) {
          out.put(uid, k);
        }
      }
      return out;
    });
  }

  @Override
  public Future<Boolean> put(String uid, UserKeys keys, String expectedFingerprint) {
    JsonObject e2e = Docs.e2e(keys);
    String fp = keys.fingerprint();
    return engine.write(tx -> {
      byte[] key = RocksUserStore.userKey(uid);
      JsonObject d = tx.doc(key);
      if (d == null || !expectedFingerprint.equals(d.getString("e2eFp", ""))) {
        return false;
      }
      tx.put(key, d.put("e2e", e2e).put("e2eFp", fp));
      return true;
    });
  }

  @Override
  public Future<Void> reset(String uid) {
    return engine.write(tx -> {
      byte[] key = RocksUserStore.userKey(uid);
      JsonObject d = tx.doc(key);
      if (d != null) {
        d.remove("e2e");
        tx.put(key, d.put("e2eFp", ""));
      }
      for (String rid : RocksRoomStore.roomsOf(tx, uid)) {
        byte[] mk = RocksRoomStore.memberKey(rid, uid);
        JsonObject sub = tx.doc(mk);
        if (sub != null) {
          tx.put(mk, sub.putNull("e2eKey").put("oldE2eKeys", new JsonArray()));
        }
      }
      return null;
    });
  }
}
