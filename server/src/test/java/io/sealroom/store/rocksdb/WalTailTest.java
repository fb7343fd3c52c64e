package io.sealroom.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

class WalTailTest {
  @TempDir
  Path tmp;

  static Path newestLog(Path db) throws Exception {
    try (Stream<Path> s = Files.list(db)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
    }
  }

  /** A log RocksDB wrote (records of every size, fragments across blocks) reads clean to its end. */
  @Test
  void aLogRocksDbWroteIsLeftWhole() throws Exception {
    RocksDB.loadLibrary();
    Path db = tmp.resolve("db");
    Random random = new Random(7);
    try (Options o = new Options().setCreateIfMissing(true).setWriteBufferSize(64L << 20);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB rocks = RocksDB.open(o, db.toString())) {
      for (int i = 0; i < 400; i++) {
        byte[] value = new byte[random.nextInt(i % 10 == 0 ? 100_000 : 500)];
        random.nextBytes(value);
        rocks.put(sync, ("k" + i).getBytes(), value);
      }
      Path wal = newestLog(db);
      assertTrue(Files.size(wal) > 5 * WalTail.BLOCK, "the log spans blocks");
      assertEquals(Files.size(wal), WalTail.cleanEnd(wal));
      byte[] before = Files.readAllBytes(wal);
      WalTail.repairNewest(db);
      assertArrayEquals(before, Files.readAllBytes(wal), "a clean log is not touched");
    }
  }

  @Test
  void aTornTailIsCutAfterTheLastCompleteRecord() throws Exception {
    RocksDB.loadLibrary();
    Path db = tmp.resolve("db");
    try (Options o = new Options().setCreateIfMissing(true);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB rocks = RocksDB.open(o, db.toString())) {
      for (int i = 0; i < 50; i++) {
        rocks.put(sync, ("k" + i).getBytes(), new byte[300]);
      }
      Path wal = newestLog(db);
      long good = Files.size(wal);
      byte[] garbage = new byte[700];
      new Random(3).nextBytes(garbage);
      Files.write(wal, garbage, StandardOpenOption.APPEND);
      assertEquals(good, WalTail.cleanEnd(wal));
    }
  }

  /** The log of a real run that made RocksDB spin in DB::Open: cut, then it opens with all 54 records. */
  @Test
  void theLogThatHungRocksDbOpensOnceCut() throws Exception {
    RocksDB.loadLibrary();
    Path db = tmp.resolve("data").resolve("db");
    Files.createDirectories(db);
    for (String f : new String[] {"000004.log", "CURRENT", "IDENTITY", "MANIFEST-000005", "OPTIONS-000007"}) {
      try (var in = getClass().getResourceAsStream("/rocksdb-torn-wal/" + f)) {
        Files.copy(in, db.resolve(f));
      }
    }
    assertEquals(31535, Files.size(db.resolve("000004.log")));
    WalTail.repairNewest(db);
    assertEquals(30835, Files.size(db.resolve("000004.log")), "cut after the last complete record");
    try (Stream<Path> kept = Files.list(db.getParent())) {
      assertEquals(1, kept.filter(p -> p.getFileName().toString().startsWith("000004.log.torn-")).count(),
          "the original is kept beside the store");
    }
    CompletableFuture<Integer> opened = CompletableFuture.supplyAsync(() -> {
      try (Options o = new Options().setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery);
          RocksDB rocks = RocksDB.open(o, db.toString());
          var it = rocks.newIterator()) {
        int n = 0;
        for (it.seekToFirst(); it.isValid(); it.next()) {
          n++;
        }
        return n;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    int keys = opened.get(30, TimeUnit.SECONDS); // before the cut: never returns
    assertTrue(keys >= 52, "the user, the room and the 50 messages are there: " + keys + " keys");
  }
}
