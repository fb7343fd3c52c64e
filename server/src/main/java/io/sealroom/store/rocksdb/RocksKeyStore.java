package io.sealroom.store.rocksdb;

import io.sealroom.keys.KeyStore;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.KeyVersion;
import io.sealroom.store.Docs;
import io.sealroom.store.KeyVersionDocs;
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
      if (expectedFingerprint.isEmpty()) {
        // a new key set: a new version (a re-wrap of the same keys is not one)
        JsonArray versions = d.getJsonArray(KeyVersionDocs.FIELD, new JsonArray()).copy();
        d.put(KeyVersionDocs.FIELD, versions.add(KeyVersionDocs.version(keys)));
      }
      tx.put(key, d.put("e2e", e2e).put("e2eFp", fp));
      return true;
    });
  }

  @Override
  public Future<List<KeyVersion>> versions(String uid) {
    return engine.read(v -> KeyVersionDocs.versions(v.doc(RocksUserStore.userKey(uid))));
  }

  @Override
  public Future<Void> reset(String uid) {
    return engine.write(tx -> {
      byte[] key = RocksUserStore.userKey(uid);
      JsonObject d = tx.doc(key);
      if (d != null) {
        d.put(KeyVersionDocs.FIELD, KeyVersionDocs.ended(d, System.currentTimeMillis()));
        d.remove("e2e");
        // the verified list was sealed to the keys that ended: nobody can read it any more
        d.put(io.sealroom.store.VerifiedDocs.FIELD, io.sealroom.store.VerifiedDocs.dropped(d));
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
