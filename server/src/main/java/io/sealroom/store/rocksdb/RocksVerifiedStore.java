package io.sealroom.store.rocksdb;

import io.sealroom.keys.VerifiedStore;
import io.sealroom.store.VerifiedDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@link VerifiedStore} on the user documents' {@code verified} field. The writer thread compares
 * the revision, so of two writes that read the same one, exactly one lands.
 */
public final class RocksVerifiedStore implements VerifiedStore {
  private final RocksEngine engine;

  public RocksVerifiedStore(RocksEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Stored> get(String uid) {
    return engine.read(v -> VerifiedDocs.stored(v.doc(RocksUserStore.userKey(uid))));
  }

  @Override
  public Future<Written> put(String uid, long expectedRev, JsonObject blob) {
    JsonObject copy = blob.copy();
    return engine.write(tx -> {
      byte[] key = RocksUserStore.userKey(uid);
      JsonObject d = tx.doc(key);
      long rev = VerifiedDocs.stored(d).rev();
      if (d == null || rev != expectedRev) {
        return new Written(false, rev);
      }
      tx.put(key, d.put(VerifiedDocs.FIELD, VerifiedDocs.doc(rev + 1, copy)));
      return new Written(true, rev + 1);
    });
  }
}
