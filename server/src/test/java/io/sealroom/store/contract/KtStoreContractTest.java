package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.keys;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.keys.UserKeys;
import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.Merkle;
import io.sealroom.kt.NodeId;
import io.sealroom.kt.NodeSource;
import io.sealroom.store.Stores;
import io.sealroom.users.User;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link KtStore} contract, on every engine: appends take contiguous indices once per key,
 * the stored nodes are the complete subtrees of the leaves, the log key is written once, and the
 * start-up scan finds the stored versions that are not logged. Each test starts on a fresh engine
 * state of its own making (the log is shared by the tests of one engine, so they read it relative
 * to the size they found).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class KtStoreContractTest {
  @Parameter
  StoreEngine engine;

  private Stores stores;
  private KtStore log;

  @BeforeEach
  void open() {
    stores = engine.stores();
    log = stores.kt();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  private static String leaf(String key) {
    return key + "|1700000000000";
  }

  @Test
  void appendsTakeContiguousIndicesOncePerKey() {
    long base = await(log.size());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String key = KtLeaf.key(id(), "ukid" + i);
      keys.add(key);
      assertEquals(base + i, await(log.append(key, leaf(key))));
    }
    assertEquals(base + 10, await(log.size()));
    // again, even with another createdAt: the index it has, nothing appended
    assertEquals(base + 3, await(log.append(keys.get(3), keys.get(3) + "|42")));
    assertEquals(base + 10, await(log.size()));
    KtStore.Logged found = await(log.find(keys.get(3)));
    assertEquals(base + 3, found.index());
    assertEquals(leaf(keys.get(3)), found.leaf());
    assertNull(await(log.find(KtLeaf.key(id(), "nothing"))));
    assertEquals(List.of(leaf(keys.get(2)), leaf(keys.get(3)), leaf(keys.get(4))), await(log.leaves(base + 2, base + 5)));
    assertEquals(keys, await(log.leaves(base, base + 10)).stream().map(KtLeaf::keyOf).toList());
    assertEquals(List.of(), await(log.leaves(base + 4, base + 4)));
  }

  @Test
  void storedNodesAreTheCompleteSubtreesOfTheLeaves() {
    for (int i = 0; i < 37; i++) {
      String key = KtLeaf.key(id(), "u" + i);
      await(log.append(key, leaf(key)));
    }
    long size = await(log.size());
    List<byte[]> hashes = new ArrayList<>();
    await(log.leaves(0, size)).forEach(l -> hashes.add(Merkle.leafHash(l)));
    assertEquals(size, hashes.size());
    NodeSource memory = Merkle.memory(hashes);
    List<NodeId> complete = new ArrayList<>();
    for (int level = 0; (1L << level) <= size; level++) {
      for (long j = 0; (j + 1) << level <= size; j++) {
        complete.add(new NodeId(level, j));
      }
    }
    Map<NodeId, byte[]> stored = await(log.nodes(complete));
    assertEquals(complete.size(), stored.size(), "every complete node is stored");
    for (NodeId id : complete) {
      assertArrayEquals(memory.node(id), stored.get(id), id.toString());
    }
    Set<NodeId> plan = Merkle.plan(s -> Merkle.root(s, size));
    assertArrayEquals(Merkle.root(hashes, 0, size), Merkle.root(Merkle.fetched(await(log.nodes(plan))), size));
    // a node not complete yet is not stored
    assertTrue(await(log.nodes(List.of(new NodeId(0, size), new NodeId(20, 0)))).isEmpty());
  }

  @Test
  void concurrentAppendsGiveOneContiguousLog() {
    long base = await(log.size());
    int n = 60;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(KtLeaf.key(id(), "c" + i));
    }
    List<Future<Long>> calls = race(n, i -> log.append(keys.get(i % n), leaf(keys.get(i % n))));
    Set<Long> indices = new HashSet<>();
    calls.forEach(f -> indices.add(f.result()));
    assertEquals(n, indices.size());
    for (long i = base; i < base + n; i++) {
      assertTrue(indices.contains(i), "index " + i);
    }
    assertEquals(base + n, await(log.size()));
  }

  @Test
  void theLogKeyIsWrittenOnce() {
    String first = await(log.logKey("key-" + id()));
    assertEquals(first, await(log.logKey("another-" + id())));
  }

  @Test
  void unloggedListsStoredVersionsNotInTheLog() {
    User a = user();
    User b = user();
    await(stores.users().insert(a));
    await(stores.users().insert(b));
    UserKeys ka = keys();
    UserKeys kb = keys();
    assertTrue(await(stores.keys().put(a.id(), ka, "")));
    assertTrue(await(stores.keys().put(b.id(), kb, "")));
    await(stores.keys().reset(b.id()));
    UserKeys kb2 = keys();
    assertTrue(await(stores.keys().put(b.id(), kb2, "")));
    Set<String> mine = Set.of(KtLeaf.key(a.id(), ka.ukid()), KtLeaf.key(b.id(), kb.ukid()), KtLeaf.key(b.id(), kb2.ukid()));
    Set<String> listed = new HashSet<>();
    await(log.unlogged()).forEach(l -> listed.add(l.key()));
    assertTrue(listed.containsAll(mine), listed.toString());
    KtLeaf logged = new KtLeaf(b.id(), kb.ukid(), kb.updatedAt());
    await(log.append(logged.key(), logged.leaf()));
    listed.clear();
    await(log.unlogged()).forEach(l -> {
      listed.add(l.key());
      if (l.uid().equals(a.id())) {
        assertEquals(ka.updatedAt(), l.createdAt());
      }
    });
    assertTrue(listed.contains(KtLeaf.key(a.id(), ka.ukid())));
    assertTrue(listed.contains(KtLeaf.key(b.id(), kb2.ukid())));
    assertTrue(!listed.contains(logged.key()), "a logged version is not listed");
  }
}
