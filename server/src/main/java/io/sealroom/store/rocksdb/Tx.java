package io.sealroom.store.rocksdb;

import io.vertx.core.json.JsonObject;
import java.util.function.BiPredicate;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * A write operation's view: committed data overlaid with the writes of the group being committed
 * (its own and those of the operations before it in the group), and the writes it adds. Used only
 * on the writer thread, by one operation at a time.
 */
final class Tx implements View {
  private final RocksDB db;
  private final ReadOptions options;
  private final WriteBatchWithIndex batch;
  private final Heads heads;

  Tx(RocksDB db, ReadOptions options, WriteBatchWithIndex batch, Heads heads) {
    this.db = db;
    this.options = options;
    this.batch = batch;
    this.heads = heads;
  }

  /** The writer's memory of each room's greatest seq. */
  Heads heads() {
    return heads;
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return batch.getFromBatchAndDB(db, options, key);
    } catch (RocksDBException e) {
      throw new StoreIoException(e);
    }
  }

  @Override
  public void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = batch.newIteratorWithBase(db.newIterator(options))) {
      Scans.forward(it, prefix, from, visitor);
    }
  }

  @Override
  public void scanBack(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = batch.newIteratorWithBase(db.newIterator(options))) {
      Scans.backward(it, prefix, visitor);
    }
  }

  void put(byte[] key, byte[] value) {
    try {
      batch.put(key, value);
    } catch (RocksDBException e) {
      throw new StoreIoException(e);
    }
  }

  void put(byte[] key, JsonObject doc) {
    put(key, Codec.bytes(doc));
  }

  void delete(byte[] key) {
    try {
      batch.delete(key);
    } catch (RocksDBException e) {
      throw new StoreIoException(e);
    }
  }
}
