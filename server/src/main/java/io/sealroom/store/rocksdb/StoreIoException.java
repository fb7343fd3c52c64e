package io.sealroom.store.rocksdb;

/** RocksDB failed to read or write (I/O error, no space, closed): answered as {@code unavailable}. */
final class StoreIoException extends RuntimeException {
  StoreIoException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
