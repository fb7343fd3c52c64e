package io.sealroom.store.rocksdb;

import java.util.function.BiPredicate;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Reads of committed data: every value seen is durable. Thread-safe (RocksDB is). */
final class DbView implements View {
  private final RocksDB db;
  private final ReadOptions options;

  DbView(RocksDB db, ReadOptions options) {
    this.db = db;
    this.options = options;
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(options, key);
    } catch (RocksDBException e) {
      throw new StoreIoException(e);
    }
  }

  @Override
  public void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator(options)) {
      Scans.forward(it, prefix, from, visitor);
    }
  }

  @Override
  public void scanBack(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator(options)) {
      Scans.backward(it, prefix, visitor);
    }
  }
}
