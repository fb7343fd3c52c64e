package io.sealroom.store.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB's settings for the embedded store: one memory budget (store.cacheMb) for the block
 * cache and the memtables charged to it, LZ4 tables with Bloom filters, point-in-time WAL
 * recovery (every acknowledged write is in a synced WAL), a bounded WAL and a quiet info log.
 */
final class Tuning {
  private Tuning() {
  }

  /** The options of a database whose cache and memtables share {@code budget} bytes. */
  static Options options(LRUCache cache, WriteBufferManager writeBuffers, long budget) {
    return new Options()
        .setCreateIfMissing(true)
        .setWriteBufferManager(writeBuffers)
        .setWriteBufferSize(Math.min(64L << 20, budget / 4))
        .setMaxWriteBufferNumber(3)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        .setMaxTotalWalSize(256L << 20)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(3)
        .setMaxBackgroundJobs(2)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(new BloomFilter(10))
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true));
  }
}
