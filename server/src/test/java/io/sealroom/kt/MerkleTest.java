package io.sealroom.kt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 hashing, proofs and their checks against the shared vectors (kt/merkle-vectors.json:
 * the published 8-leaf tree and generated trees of up to 70 leaves), computed both over the
 * leaves in memory and through the stored-node path a serving log uses.
 */
class MerkleTest {
  private static final HexFormat HEX = HexFormat.of();
  private static JsonObject published;
  private static JsonObject generated;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = MerkleTest.class.getResourceAsStream("/kt/merkle-vectors.json")) {
      JsonObject all = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      published = all.getJsonObject("published");
      generated = all.getJsonObject("generated");
    }
  }

  private static List<byte[]> publishedLeaves() {
    List<byte[]> out = new ArrayList<>();
    for (Object o : published.getJsonArray("leavesHex")) {
      out.add(Merkle.leafHash(HEX.parseHex((String) o)));
    }
    return out;
  }

  private static List<byte[]> generatedLeaves() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < generated.getInteger("leafCount"); i++) {
      out.add(Merkle.leafHash("leaf-" + i));
    }
    return out;
  }

  /** The nodes a log stores after appending every leaf one by one, as the stores do. */
  private static Map<NodeId, byte[]> appendAll(List<byte[]> leaves) {
    Map<NodeId, byte[]> stored = new HashMap<>();
    for (int i = 0; i < leaves.size(); i++) {
      Set<NodeId> reads = Set.copyOf(Merkle.appendReads(i));
      Map<NodeId, byte[]> visible = new HashMap<>();
      reads.forEach(id -> visible.put(id, stored.get(id)));
      stored.putAll(Merkle.appendNodes(i, leaves.get(i), Merkle.fetched(visible)));
    }
    return stored;
  }

  /** Only the nodes the plan names are handed to the computation: a wrong plan fails it. */
  private static NodeSource planned(Map<NodeId, byte[]> stored, Set<NodeId> plan) {
    Map<NodeId, byte[]> fetched = new HashMap<>();
    plan.forEach(id -> fetched.put(id, stored.get(id)));
    return Merkle.fetched(fetched);
  }

  private static List<String> hex(List<byte[]> path) {
    return path.stream().map(HEX::formatHex).toList();
  }

  private static List<byte[]> bytes(JsonArray hexes) {
    List<byte[]> out = new ArrayList<>();
    hexes.forEach(o -> out.add(HEX.parseHex((String) o)));
    return out;
  }

  @Test
  void publishedRootsAndEmptyRoot() {
    List<byte[]> leaves = publishedLeaves();
    assertEquals(published.getString("emptyRootHex"), HEX.formatHex(Merkle.emptyRoot()));
    assertEquals(published.getString("emptyRootHex"), HEX.formatHex(Merkle.root(leaves, 0, 0)));
    Map<NodeId, byte[]> stored = appendAll(leaves);
    JsonArray roots = published.getJsonArray("rootsHex");
    for (int n = 1; n <= roots.size(); n++) {
      long size = n;
      assertEquals(roots.getString(n - 1), HEX.formatHex(Merkle.root(leaves, 0, n)), "root of " + n);
      assertEquals(roots.getString(n - 1), HEX.formatHex(Merkle.root(planned(stored,
          Merkle.plan(s -> Merkle.root(s, size))), size)), "stored root of " + n);
    }
  }

  @Test
  void everyGeneratedRootFrom0To70() {
    List<byte[]> leaves = generatedLeaves();
    Map<NodeId, byte[]> stored = appendAll(leaves);
    JsonArray roots = generated.getJsonArray("rootsHex");
    assertEquals(71, roots.size());
    for (int n = 0; n < roots.size(); n++) {
      long size = n;
      assertEquals(roots.getString(n), HEX.formatHex(Merkle.root(leaves, 0, n)), "root of " + n);
      assertEquals(roots.getString(n), HEX.formatHex(Merkle.root(Merkle.memory(leaves), size)), "memory root of " + n);
      assertEquals(roots.getString(n), HEX.formatHex(Merkle.root(planned(stored,
          Merkle.plan(s -> Merkle.root(s, size))), size)), "stored root of " + n);
    }
  }

  @Test
  void inclusionVectorsComputedAndVerified() {
    checkInclusion(published, publishedLeaves(), published.getJsonArray("rootsHex"), 1);
    checkInclusion(generated, generatedLeaves(), generated.getJsonArray("rootsHex"), 0);
  }

  private static void checkInclusion(JsonObject vectors, List<byte[]> leaves, JsonArray roots, int rootOffset) {
    Map<NodeId, byte[]> stored = appendAll(leaves);
    JsonArray cases = vectors.getJsonArray("inclusion");
    assertTrue(cases.size() >= 5);
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      long index = c.getLong("index");
      long size = c.getLong("size");
      List<String> want = c.getJsonArray("pathHex").stream().map(String.class::cast).toList();
      String label = "leaf " + index + " of " + size;
      assertEquals(want, hex(Merkle.inclusion(Merkle.memory(leaves), index, size)), label);
      Set<NodeId> plan = Merkle.plan(s -> Merkle.inclusion(s, index, size));
      assertEquals(want, hex(Merkle.inclusion(planned(stored, plan), index, size)), "stored " + label);
      byte[] root = HEX.parseHex(roots.getString((int) size - rootOffset));
      List<byte[]> path = bytes(c.getJsonArray("pathHex"));
      assertTrue(MerkleVerify.inclusion(leaves.get((int) index), index, size, path, root), label);
      assertFalse(MerkleVerify.inclusion(leaves.get((int) index), index, size, path, flipped(root)), label);
      if (!path.isEmpty()) {
        List<byte[]> bad = new ArrayList<>(path);
        bad.set(bad.size() - 1, flipped(bad.get(bad.size() - 1)));
        assertFalse(MerkleVerify.inclusion(leaves.get((int) index), index, size, bad, root), label);
        assertFalse(MerkleVerify.inclusion(leaves.get((int) index), index ^ 1, size, path, root), label);
      }
    }
  }

  @Test
  void consistencyVectorsComputedAndVerified() {
    checkConsistency(published, publishedLeaves(), published.getJsonArray("rootsHex"), 1);
    checkConsistency(generated, generatedLeaves(), generated.getJsonArray("rootsHex"), 0);
  }

  private static void checkConsistency(JsonObject vectors, List<byte[]> leaves, JsonArray roots, int rootOffset) {
    Map<NodeId, byte[]> stored = appendAll(leaves);
    JsonArray cases = vectors.getJsonArray("consistency");
    assertTrue(cases.size() >= 5);
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      long from = c.getLong("from");
      long to = c.getLong("to");
      List<String> want = c.getJsonArray("pathHex").stream().map(String.class::cast).toList();
      String label = from + " -> " + to;
      assertEquals(want, hex(Merkle.consistency(Merkle.memory(leaves), from, to)), label);
      Set<NodeId> plan = Merkle.plan(s -> Merkle.consistency(s, from, to));
      assertEquals(want, hex(Merkle.consistency(planned(stored, plan), from, to)), "stored " + label);
      byte[] r1 = HEX.parseHex(roots.getString((int) from - rootOffset));
      byte[] r2 = HEX.parseHex(roots.getString((int) to - rootOffset));
      List<byte[]> path = bytes(c.getJsonArray("pathHex"));
      assertTrue(MerkleVerify.consistency(from, to, r1, r2, path), label);
      assertFalse(MerkleVerify.consistency(from, to, r1, flipped(r2), path), label);
      assertFalse(MerkleVerify.consistency(from, to, flipped(r1), r2, path), label);
      if (!path.isEmpty()) {
        List<byte[]> bad = new ArrayList<>(path);
        bad.set(0, flipped(bad.get(0)));
        assertFalse(MerkleVerify.consistency(from, to, r1, r2, bad), label);
      }
    }
  }

  @Test
  void storedNodesAreExactlyTheCompleteSubtrees() {
    List<byte[]> leaves = generatedLeaves();
    Map<NodeId, byte[]> stored = appendAll(leaves);
    NodeSource memory = Merkle.memory(leaves);
    int expected = 0;
    for (int level = 0; (1 << level) <= leaves.size(); level++) {
      expected += leaves.size() >> level;
    }
    assertEquals(expected, stored.size(), "one node per complete aligned subtree: fewer than 2 per leaf");
    stored.forEach((id, h) -> assertArrayEquals(memory.node(id), h, id.toString()));
  }

  @Test
  void proofsOfAMillionLeavesReadLogarithmicallyManyNodes() {
    long n = 1_000_000;
    assertTrue(Merkle.plan(s -> Merkle.root(s, n)).size() <= Long.bitCount(n));
    for (long index : new long[] {0, 1, 524_287, 524_288, 999_998, 999_999}) {
      Set<NodeId> plan = Merkle.plan(s -> Merkle.inclusion(s, index, n));
      assertTrue(plan.size() <= 2 * 20, index + ": " + plan.size());
      plan.forEach(id -> assertTrue(id.firstLeaf() + (1L << id.level()) <= n, id + " is not complete"));
    }
    for (long from : new long[] {1, 7, 8, 500_000, 999_999}) {
      Set<NodeId> plan = Merkle.plan(s -> Merkle.consistency(s, from, n));
      assertTrue(plan.size() <= 2 * 20 + 1, from + ": " + plan.size());
    }
    assertTrue(Merkle.appendReads(n - 1).size() <= 20);
  }

  @Test
  void rootOfARangeOfLeaves() {
    List<byte[]> leaves = generatedLeaves();
    // a range's root is the root of a tree of those leaves alone
    assertArrayEquals(Merkle.root(leaves.subList(5, 17), 0, 12), Merkle.root(leaves, 5, 17));
    assertArrayEquals(leaves.get(3), Merkle.root(leaves, 3, 4));
  }

  private static byte[] flipped(byte[] h) {
    byte[] b = h.clone();
    b[b.length - 1] ^= 1;
    return b;
  }
}
