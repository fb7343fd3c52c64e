package io.sealroom.store.contract;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.sealroom.common.Ids;
import io.sealroom.store.Stores;
import io.sealroom.store.mongo.Indexes;
import io.sealroom.store.mongo.MongoStores;
import io.sealroom.store.rocksdb.RocksStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One storage engine the contract tests run against: RocksDB in memory, RocksDB in a temporary
 * directory, or the MongoDB engine over mongo-java-server in memory. Opened on first use (so that
 * listing the engines opens nothing) and closed, with its Vertx instance, by {@link #close()}.
 */
final class StoreEngine implements AutoCloseable {
  private static final int CACHE_MB = 64;

  /** Opens the engine's stores on a Vertx instance; the returned cleanup runs after the stores are closed. */
  @FunctionalInterface
  private interface Opener {
    Opened open(Vertx vertx) throws Exception;
  }

  private record Opened(Stores stores, Cleanup afterClose) {
  }

  @FunctionalInterface
  private interface Cleanup {
    void run() throws Exception;
  }

  private final String name;
  private final Opener opener;
  private Vertx vertx;
  private Opened opened;
  private boolean closed;

  private StoreEngine(String name, Opener opener) {
    this.name = name;
    this.opener = opener;
  }

  /**
   * Every engine, each a fresh one: the argument source of the contract test classes. Surefire
   * names the invocations by index: [1] rocksdb mem:, [2] rocksdb on disk, [3] mongodb.
   */
  static Stream<StoreEngine> all() {
    return Stream.of(rocksInMemory(), rocksOnDisk(), mongo());
  }

  static StoreEngine rocksInMemory() {
    // file bytes in a temporary directory, removed when the stores close
    return new StoreEngine("rocksdb mem:", vertx -> new Opened(RocksStores.open(vertx, "mem:", CACHE_MB, null), () -> { }));
  }

  static StoreEngine rocksOnDisk() {
    return new StoreEngine("rocksdb on disk", vertx -> {
      Path dir = Files.createTempDirectory("sealroom-contract-");
      return new Opened(RocksStores.open(vertx, dir.resolve("db").toString(), CACHE_MB, dir.resolve("files")),
          () -> deleteTree(dir));
    });
  }

  static StoreEngine mongo() {
    return new StoreEngine("mongodb (mongo-java-server)", vertx -> {
      MongoServer server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", 0);
      int port = server.getLocalAddress().getPort();
      String unique = Ids.newId();
      MongoClient client = MongoClient.createShared(vertx, new JsonObject()
          .put("connection_string", "mongodb://127.0.0.1:" + port)
          .put("db_name", "sealroom-" + unique), "contract-" + unique);
      try {
        Indexes.ensure(client, true).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        client.close();
        server.shutdownNow();
        throw e;
      }
      return new Opened(new MongoStores(client), server::shutdownNow);
    });
  }

  /** The engine's stores, opened on the first call. */
  synchronized Stores stores() {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (opened == null) {
      vertx = Vertx.vertx();
      try {
        opened = opener.open(vertx);
      } catch (Exception e) {
        vertx.close();
        vertx = null;
        throw new IllegalStateException("cannot open " + name, e);
      }
    }
    return opened.stores();
  }

  /** The Vertx instance the engine's stores run on (open them first). */
  synchronized Vertx vertx() {
    stores();
    return vertx;
  }

  /** Closes the stores, then the Vertx instance, then whatever the engine keeps beside them. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (opened != null) {
        opened.stores().close();
      }
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
      if (opened != null) {
        opened.afterClose().run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing " + name, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + name, e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
