package io.sealroom.store.rocksdb;

import java.util.Arrays;
import java.util.function.BiPredicate;
import org.rocksdb.RocksIterator;

/** Prefix scans over a RocksDB iterator, forwards and backwards. */
final class Scans {
  private Scans() {
  }

  static void forward(RocksIterator it, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
    for (it.seek(from != null ? from : prefix); it.isValid(); it.next()) {
      byte[] k = it.key();
      if (!Codec.startsWith(k, prefix) || !visitor.test(k, it.value())) {
        return;
      }
    }
  }

  static void backward(RocksIterator it, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    // the greatest key with this prefix is below prefix + 0xff...: key parts are UTF-8 (no 0xff
    // byte) or seqs (non-negative, so their first byte is below 0x80)
    byte[] upper = Arrays.copyOf(prefix, prefix.length + 9);
    Arrays.fill(upper, prefix.length, upper.length, (byte) 0xff);
    for (it.seekForPrev(upper); it.isValid(); it.prev()) {
      byte[] k = it.key();
      if (!Codec.startsWith(k, prefix) || !visitor.test(k, it.value())) {
        return;
      }
    }
  }
}
