package io.sealroom.store.rocksdb;

import io.vertx.core.json.JsonObject;
import java.util.function.BiPredicate;

/**
 * What a store operation reads: committed data for a read, or committed data plus the writes of
 * the group being committed for a write (see {@link Tx}). Values are JSON documents, or small
 * pointers (another key) for the secondary indexes.
 */
interface View {
  /** The value of key or null. */
  byte[] get(byte[] key);

  /** The document at key or null. */
  default JsonObject doc(byte[] key) {
    byte[] v = get(key);
    return v == null ? null : Codec.doc(v);
  }

  /**
   * Visits the keys that start with prefix in ascending order (from {@code from}, itself a key
   * with that prefix, when not null) until the visitor answers false.
   */
  void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor);

  /** Visits the keys that start with prefix in descending order until the visitor answers false. */
  void scanBack(byte[] prefix, BiPredicate<byte[], byte[]> visitor);

  /** The greatest key that starts with prefix, or null. */
  default byte[] lastKey(byte[] prefix) {
    byte[][] last = new byte[1][];
    scanBack(prefix, (k, v) -> {
      last[0] = k;
      return false;
    });
    return last[0];
  }
}
