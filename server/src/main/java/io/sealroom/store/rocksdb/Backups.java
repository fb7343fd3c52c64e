package io.sealroom.store.rocksdb;

import io.sealroom.store.FileModes;
import io.sealroom.store.Stores;
import io.sealroom.common.ApiException;
import io.sealroom.config.Config;
import io.sealroom.store.rocksdb.RocksStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Online backups of the embedded store: a new directory under store.backupDir (default:
 * dataDir/backups) that is a data directory of its own: a RocksDB checkpoint (a consistent copy,
 * hard links where the backup directory is on the same file system) and the JWT signing key, made on a worker. One at a time. A MongoDB is backed up with its
 * own tools; an in-memory store has nothing to back up.
 */
public final class Backups {
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private final Vertx vertx;
  private final Stores stores;
  private final Config.Store config;
  private final AtomicBoolean running = new AtomicBoolean();

  public Backups(Vertx vertx, Stores stores, Config.Store config) {
    this.vertx = vertx;
    this.stores = stores;
    this.config = config;
  }

  /** Makes a backup: {"path", "sizeBytes", "ts"}. */
  public Future<JsonObject> create() {
    if (!(stores instanceof RocksStores rocks)) {
      return Future.failedFuture(ApiException.invalid("engine",
          "online backups are made of the embedded store; back up MongoDB with its own tools (mongodump, snapshots)"));
    }
    if (config.inMemory()) {
      return Future.failedFuture(ApiException.invalid("store.dataDir", "an in-memory store has nothing to back up"));
    }
    if (!running.compareAndSet(false, true)) {
      return Future.failedFuture(new ApiException(io.sealroom.common.ErrorCode.RATE_LIMITED, "a backup is being made; try again when it is done"));
    }
    return vertx.executeBlocking(() -> {
      long ts = System.currentTimeMillis();
      Path root = config.backupDir().isEmpty() ? Path.of(config.dataDir(), "backups") : Path.of(config.backupDir());
      FileModes.createPrivateDirectories(root);
      Path dir = root.resolve("sealroom-" + NAME.format(Instant.ofEpochMilli(ts))).toAbsolutePath();
      copyDataDir(rocks, Path.of(config.dataDir()), dir);
      return new JsonObject().put("path", dir.toString()).put("sizeBytes", sizeOf(dir)).put("ts", ts);
    }, false).onComplete(ar -> running.set(false));
  }

  /**
   * Makes {@code to} a data directory of its own: a checkpoint of the database in to/db and a copy
   * of the JWT signing key, so that a node started on it (store.dataDir) has everything. Owner-only
   * like the data directory (directories 0700, files 0600).
   */
  public static void copyDataDir(RocksStores rocks, Path from, Path to) throws Exception {
    FileModes.createPrivateDirectories(to);
    FileModes.tighten(to);
    rocks.checkpoint(to.resolve(Stores.DB_DIR));
    Path key = from.resolve(Stores.JWT_FILE);
    if (Files.isRegularFile(key)) {
      Files.copy(key, to.resolve(Stores.JWT_FILE));
    }
    Path files = rocks.filesDir() != null ? rocks.filesDir() : from.resolve(Stores.FILES_DIR);
    if (Files.isDirectory(files)) {
      linkFiles(files, to.resolve(Stores.FILES_DIR));
    }
    FileModes.tighten(to);
  }

  /**
   * The file bytes beside the checkpoint, as hard links (copies across file systems). Stored
   * files never change, so links taken after the checkpoint hold every file it records as
   * attached; an upload that finished meanwhile is an extra file without a record, which is
   * harmless, and part files of uploads under way are left out.
   */
  static void linkFiles(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(p);
        if (!Files.isRegularFile(p) || rel.getNameCount() != 2 || rel.getName(0).toString().equals("tmp")) {
          continue;
        }
        Path target = to.resolve(rel);
        Files.createDirectories(target.getParent());
        try {
          Files.createLink(target, p);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(p, target);
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Bytes of the files under dir. */
  public static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }
}
