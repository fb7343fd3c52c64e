package io.sealroom.store.mongo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.sealroom.common.Ids;
import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.Merkle;
import io.sealroom.kt.NodeId;
import io.sealroom.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MongoDB log as a cluster uses it: two nodes (two clients, two store instances) on one
 * database append at once and still build one log; a node that stopped half way through an
 * append (leaf inserted, nodes and size not) is finished by the next appender; the log key is one.
 */
class MongoKtStoreTest {
  private static final long WAIT_S = 60;
  private MongoServer server;
  private Vertx vertxA;
  private Vertx vertxB;
  private MongoClient clientA;
  private MongoClient clientB;
  private MongoKtStore nodeA;
  private MongoKtStore nodeB;

  @BeforeEach
  void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    String db = "kt-" + Ids.newId();
    JsonObject config = new JsonObject().put("connection_string",
        "mongodb://127.0.0.1:" + server.getLocalAddress().getPort()).put("db_name", db);
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    clientA = MongoClient.createShared(vertxA, config, "a-" + db);
    clientB = MongoClient.createShared(vertxB, config, "b-" + db);
    Indexes.ensure(clientA, true).await(30, TimeUnit.SECONDS);
    nodeA = new MongoKtStore(clientA);
    nodeB = new MongoKtStore(clientB);
  }

  @AfterEach
  void stop() throws Exception {
    clientA.close();
    clientB.close();
    vertxA.close().await(30, TimeUnit.SECONDS);
    vertxB.close().await(30, TimeUnit.SECONDS);
    server.shutdownNow();
  }

  private static String leaf(String key) {
    return key + "|1700000000000";
  }

  @Test
  void twoNodesAppendingAtOnceBuildOneLog() {
    int n = 200;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(KtLeaf.key(Ids.newId(), "v" + i));
    }
    List<Future<Long>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // every version is appended by both nodes: half of them first on A, half first on B
      MongoKtStore first = i % 2 == 0 ? nodeA : nodeB;
      MongoKtStore second = i % 2 == 0 ? nodeB : nodeA;
      calls.add(first.append(keys.get(i), leaf(keys.get(i))));
      calls.add(second.append(keys.get(i), leaf(keys.get(i))));
    }
    Futures.await(Future.all(calls), WAIT_S);
    for (int i = 0; i < n; i++) {
      assertEquals(calls.get(2 * i).result(), calls.get(2 * i + 1).result(), "both nodes agree on " + keys.get(i));
    }
    assertEquals(n, Futures.await(nodeA.size(), WAIT_S));
    assertEquals(n, Futures.await(nodeB.size(), WAIT_S));
    List<String> leaves = Futures.await(nodeB.leaves(0, n), WAIT_S);
    assertEquals(n, leaves.size(), "contiguous indices 0.." + (n - 1));
    assertEquals(new HashSet<>(keys), new HashSet<>(leaves.stream().map(KtLeaf::keyOf).toList()), "each version once");
    assertRootIsRecomputable(n, leaves);
  }

  @Test
  void aHalfDoneAppendIsFinishedByTheNextAppender() {
    String k0 = KtLeaf.key(Ids.newId(), "a");
    Futures.await(nodeA.append(k0, leaf(k0)), WAIT_S);
    // a node stopped after inserting leaf 1: no nodes, the size still 1
    String crashed = KtLeaf.key(Ids.newId(), "b");
    String h = Base64.getUrlEncoder().withoutPadding().encodeToString(Merkle.leafHash(leaf(crashed)));
    Futures.await(clientA.insert(MongoKtStore.LEAVES, new JsonObject().put("_id", 1L).put("key", crashed)
        .put("leaf", leaf(crashed)).put("h", h)), WAIT_S);
    assertEquals(1L, Futures.await(nodeB.size(), WAIT_S));
    assertEquals(null, Futures.await(nodeB.find(crashed), WAIT_S), "not in the tree until finished");
    String k2 = KtLeaf.key(Ids.newId(), "c");
    assertEquals(2L, Futures.await(nodeB.append(k2, leaf(k2)), WAIT_S));
    assertEquals(3L, Futures.await(nodeA.size(), WAIT_S));
    assertEquals(1L, Futures.await(nodeA.find(crashed), WAIT_S).index());
    assertRootIsRecomputable(3, Futures.await(nodeA.leaves(0, 3), WAIT_S));
    // the crashed version appended again: its index, not a second leaf
    assertEquals(1L, Futures.await(nodeA.append(crashed, leaf(crashed)), WAIT_S));
  }

  @Test
  void aHalfDoneAppendOfTheSameVersionIsFinishedByItsRetry() {
    String crashed = KtLeaf.key(Ids.newId(), "b");
    String h = Base64.getUrlEncoder().withoutPadding().encodeToString(Merkle.leafHash(leaf(crashed)));
    Futures.await(clientA.insert(MongoKtStore.LEAVES, new JsonObject().put("_id", 0L).put("key", crashed)
        .put("leaf", leaf(crashed)).put("h", h)), WAIT_S);
    assertEquals(0L, Futures.await(nodeB.append(crashed, leaf(crashed)), WAIT_S));
    assertEquals(1L, Futures.await(nodeA.size(), WAIT_S));
    assertRootIsRecomputable(1, Futures.await(nodeA.leaves(0, 1), WAIT_S));
  }

  @Test
  void bothNodesGetTheSameLogKey() {
    List<Future<String>> keys = List.of(nodeA.logKey("key-a"), nodeB.logKey("key-b"), nodeA.logKey("key-c"));
    Futures.await(Future.all(keys), WAIT_S);
    Set<String> distinct = new HashSet<>();
    keys.forEach(f -> distinct.add(f.result()));
    assertEquals(1, distinct.size(), distinct.toString());
    assertTrue(Set.of("key-a", "key-b", "key-c").containsAll(distinct));
  }

  private void assertRootIsRecomputable(long n, List<String> leaves) {
    List<byte[]> hashes = leaves.stream().map(Merkle::leafHash).toList();
    Set<NodeId> plan = Merkle.plan(s -> Merkle.root(s, n));
    byte[] stored = Merkle.root(Merkle.fetched(Futures.await(nodeA.nodes(plan), WAIT_S)), n);
    assertArrayEquals(Merkle.root(hashes, 0, n), stored);
    for (long i = 0; i < n; i++) {
      long index = i;
      Set<NodeId> p = Merkle.plan(s -> Merkle.inclusion(s, index, n));
      var path = Merkle.inclusion(Merkle.fetched(Futures.await(nodeB.nodes(p), WAIT_S)), index, n);
      assertTrue(io.sealroom.kt.MerkleVerify.inclusion(hashes.get((int) i), i, n, path, stored), "leaf " + i);
    }
  }
}
