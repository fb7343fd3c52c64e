package io.sealroom.store.migrate;

import io.sealroom.store.Stores;
import io.sealroom.store.process.EmbeddedMongo;
import io.sealroom.store.mongo.Indexes;
import io.sealroom.store.mongo.MongoStores;
import io.sealroom.config.Config;
import io.sealroom.store.rocksdb.RocksStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Moves the data of a data directory written by an earlier version (the embedded
 * MongoDB-protocol store's file {@code sealroom.mv}) into the RocksDB store, once, at start:
 * the old file is opened with the code that wrote it, every document is exported and imported
 * into a new RocksDB directory beside it, which becomes the store only when complete, and the old
 * file is then renamed (never deleted). A crash part-way leaves the old file as it was and the
 * next start begins again. Blocking; runs before the node serves.
 */
public final class LegacyUpgrade {
  static final String OLD_FILE = "sealroom.mv";
  private static final String WORK_DIR = "db.upgrading";
  private static final long WAIT_S = 120;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LegacyUpgrade.class.getName());

  private LegacyUpgrade() {
  }

  /** Upgrades dataDir if it holds an earlier version's store file and no RocksDB store yet. */
  public static void runIfNeeded(Vertx vertx, Path dataDir, Config config) throws Exception {
    Path old = dataDir.resolve(OLD_FILE);
    Path db = dataDir.resolve(Stores.DB_DIR);
    if (!Files.isRegularFile(old) || Files.exists(db)) {
      return;
    }
    Path work = dataDir.resolve(WORK_DIR);
    deleteTree(work);
    Map<String, Long> counts = new HashMap<>();
    EmbeddedMongo server = EmbeddedMongo.start(dataDir.toString());
    MongoClient client = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", server.connectionString()).put("db_name", config.mongo().database()));
    try (RocksStores target = RocksStores.open(vertx, work.toString(), config.store().cacheMb())) {
      // the same start-up steps the earlier version ran (messages of older shapes rewritten first)
      Indexes.ensure(client, true).toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
      MongoStores source = new MongoStores(client);
      try (Stores.Importer in = target.importer()) {
        source.exportTo(d -> {
          counts.merge(d.collection(), 1L, Long::sum);
          try {
            in.add(d);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
    } finally {
      client.close();
      server.stop();
    }
    Files.move(work, db, StandardCopyOption.ATOMIC_MOVE);
    Path kept = dataDir.resolve(OLD_FILE + ".before-rocksdb");
    Files.move(old, kept, StandardCopyOption.REPLACE_EXISTING);
    LOG.info("store upgraded: moved " + counts.getOrDefault(Stores.StoredDoc.USERS, 0L) + " users, "
        + counts.getOrDefault(Stores.StoredDoc.ROOMS, 0L) + " rooms, "
        + counts.getOrDefault(Stores.StoredDoc.SUBSCRIPTIONS, 0L) + " memberships and "
        + counts.getOrDefault(Stores.StoredDoc.MESSAGES, 0L) + " messages from " + old + " into " + db
        + "; the old file is kept as " + kept);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
