package io.sealroom.store.rocksdb;

/** Another process (a second node) holds the store's directory: RocksDB's lock. */
public final class StoreLockedException extends java.io.IOException {
  public StoreLockedException(String dir) {
    super("the store in " + dir + " is in use by another running node (one node per data directory)");
  }
}
