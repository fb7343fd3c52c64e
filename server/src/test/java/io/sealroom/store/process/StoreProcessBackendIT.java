package io.sealroom.store.process;

import io.sealroom.store.mongo.StoreProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store process's server in this JVM, through the driver the nodes use: a write's reply
 * waits for a commit, reads do not, a crowd of writers shares commits, and the probe tells it
 * from another MongoDB-protocol server.
 */
class StoreProcessBackendIT {
  private static final int TIMEOUT_S = 20;
  private final List<MongoServer> servers = new ArrayList<>();
  private Vertx vertx;

  @TempDir
  Path tmp;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
    servers.forEach(MongoServer::shutdownNow);
  }

  private String serve(StoreProcessBackend backend) {
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", 0);
    servers.add(server);
    return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
  }

  private MongoClient client(String uri) {
    return MongoClient.createShared(vertx, new JsonObject().put("connection_string", uri).put("db_name", "t"), uri);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Test
  void aWriteIsAnsweredAfterACommitWhileReadsPassAtOnce() throws Exception {
    GatedCommit commit = new GatedCommit();
    try (CommitLoop loop = new CommitLoop(commit)) {
      MongoClient mongo = client(serve(new StoreProcessBackend(new MemoryBackend(), loop)));
      commit.release.release(); // a first write, so that the collection exists
      await(mongo.insert("c", new JsonObject().put("_id", "old")));
      assertTrue(commit.started.tryAcquire(TIMEOUT_S, TimeUnit.SECONDS));

      Future<String> insert = mongo.insert("c", new JsonObject().put("_id", "new"));
      assertTrue(commit.started.tryAcquire(TIMEOUT_S, TimeUnit.SECONDS), "the write asks for a commit");
      // the commit hangs: the reads (on other connections) are answered, the write is not
      assertNotNull(await(mongo.findOne("c", new JsonObject().put("_id", "old"), null)));
      assertEquals(2L, await(mongo.count("c", new JsonObject())), "applied, visible, not yet durable");
      await(mongo.runCommand("ping", new JsonObject().put("ping", 1)));
      Thread.sleep(200);
      assertFalse(insert.isComplete(), "answered before its commit");

      commit.release.release();
      await(insert);
    }
  }

  @Test
  void concurrentWritersShareCommits() throws Exception {
    AtomicInteger commits = new AtomicInteger();
    // a slow commit (a busy disk): whatever arrives meanwhile waits for the next one, together
    try (CommitLoop loop = new CommitLoop(() -> {
      commits.incrementAndGet();
      sleep(20);
    })) {
      MongoClient mongo = client(serve(new StoreProcessBackend(new MemoryBackend(), loop)));
      int writes = 200;
      List<Future<JsonObject>> reads = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        reads.add(mongo.findOne("c", new JsonObject().put("_id", "none"), null)); // opens the pool's connections
      }
      await(Future.all(reads));
      commits.set(0);
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        all.add(mongo.insert("c", new JsonObject().put("_id", "d" + i)));
      }
      await(Future.all(all));
      System.out.printf("store process: %d concurrent inserts, %d commits%n", writes, commits.get());
      assertTrue(commits.get() <= writes / 2, commits.get() + " commits for " + writes + " writes");
      assertEquals((long) writes, await(mongo.count("c", new JsonObject())));
    }
  }

  @Test
  void theProbeTellsTheStoreProcessFromAnotherServer() throws Exception {
    MongoClient store = client(serve(new StoreProcessBackend(new MemoryBackend(), null)));
    assertTrue(await(StoreProbe.isStoreProcess(store)));
    MongoServer other = new MongoServer(new MemoryBackend());
    other.bind("127.0.0.1", 0);
    servers.add(other);
    MongoClient plain = client("mongodb://127.0.0.1:" + other.getLocalAddress().getPort());
    assertFalse(await(StoreProbe.isStoreProcess(plain)), "no such command: not the store process");
  }

  /**
   * Sequential inserts on the on-disk store: each round trip includes a commit of the file; the
   * same without the commit (the in-process server) for comparison. Printed, not judged.
   */
  @Test
  void everyWriteIsOnDiskWhenAnsweredAndTheRoundTripIsMeasured() throws Exception {
    EmbeddedMongo store = EmbeddedMongo.serve("127.0.0.1", 0, tmp.resolve("data").toString());
    EmbeddedMongo inProcess = EmbeddedMongo.start(tmp.resolve("baseline").toString());
    try {
      long[] committed = insertRoundTrips(client(store.connectionString()));
      long[] uncommitted = insertRoundTrips(client(inProcess.connectionString()));
      System.out.printf("store process on disk: insert round trip with commit median %.2f ms, p90 %.2f ms;"
          + " without commit (in-process server) median %.2f ms, p90 %.2f ms (%d each)%n",
          pct(committed, 50), pct(committed, 90), pct(uncommitted, 50), pct(uncommitted, 90), committed.length);
    } finally {
      store.stop();
      inProcess.stop();
    }
    EmbeddedMongo reopened = EmbeddedMongo.serve("127.0.0.1", 0, tmp.resolve("data").toString());
    try {
      assertEquals(201L, await(client(reopened.connectionString()).count("c", new JsonObject())));
    } finally {
      reopened.stop();
    }
  }

  private static long[] insertRoundTrips(MongoClient mongo) throws Exception {
    await(mongo.insert("c", new JsonObject().put("_id", "warm-up").put("text", "x".repeat(200))));
    long[] ns = new long[200];
    for (int i = 0; i < ns.length; i++) {
      long t0 = System.nanoTime();
      await(mongo.insert("c", new JsonObject().put("_id", "d" + i).put("text", "x".repeat(200))));
      ns[i] = System.nanoTime() - t0;
    }
    return ns;
  }

  private static double pct(long[] ns, int p) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
