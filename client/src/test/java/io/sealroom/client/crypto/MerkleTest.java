package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 proof verification against kt/merkle-vectors.json (the published CT / transparency-dev
 * 8-leaf tree and generated trees of up to 70 leaves): every good proof passes, and every
 * corruption of one (another index, size +-1, a flipped bit in any path element, a truncated,
 * extended or reordered path, another root) fails.
 */
class MerkleTest {
  static JsonObject vectors;
  static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = MerkleTest.class.getResourceAsStream("/kt/merkle-vectors.json")) {
      vectors = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** One tree: its leaf hashes and its roots by size (roots.get(n) = root of the first n leaves). */
  record Tree(List<byte[]> leafHashes, List<byte[]> roots) {
  }

  static Tree published() {
    JsonObject p = vectors.getJsonObject("published");
    List<byte[]> leaves = new ArrayList<>();
    p.getJsonArray("leavesHex").forEach(h -> leaves.add(Merkle.leafHash(HEX.parseHex((String) h))));
    List<byte[]> roots = new ArrayList<>();
    roots.add(HEX.parseHex(p.getString("emptyRootHex")));
    p.getJsonArray("rootsHex").forEach(h -> roots.add(HEX.parseHex((String) h)));
    return new Tree(leaves, roots);
  }

  static Tree generated() {
    JsonObject g = vectors.getJsonObject("generated");
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < g.getInteger("leafCount"); i++) {
      leaves.add(Merkle.leafHash("leaf-" + i));
    }
    List<byte[]> roots = new ArrayList<>();
    g.getJsonArray("rootsHex").forEach(h -> roots.add(HEX.parseHex((String) h)));
    return new Tree(leaves, roots);
  }

  static List<byte[]> path(JsonObject proof) {
    List<byte[]> out = new ArrayList<>();
    proof.getJsonArray("pathHex").forEach(h -> out.add(HEX.parseHex((String) h)));
    return out;
  }

  static boolean inclusion(Tree t, long index, long size, List<byte[]> path, byte[] root) {
    byte[] leaf = index >= 0 && index < t.leafHashes().size() ? t.leafHashes().get((int) index) : new byte[32];
    return Merkle.verifyInclusion(index, size, leaf, path, root);
  }

  @Test
  void theEmptyTreeAndTheFirstLeafHashAsPublished() {
    Tree t = published();
    assertArrayEquals(t.roots().get(0), Merkle.emptyRoot());
    assertArrayEquals(t.roots().get(1), t.leafHashes().get(0), "a one-leaf tree's root is its leaf hash");
  }

  @Test
  void everyPublishedAndGeneratedInclusionProofPassesAndEveryCorruptionFails() {
    int checked = 0;
    for (String part : List.of("published", "generated")) {
      Tree t = part.equals("published") ? published() : generated();
      JsonArray proofs = vectors.getJsonObject(part).getJsonArray("inclusion");
      for (int i = 0; i < proofs.size(); i++) {
        JsonObject p = proofs.getJsonObject(i);
        long index = p.getLong("index");
        int size = p.getInteger("size");
        List<byte[]> path = path(p);
        byte[] root = t.roots().get(size);
        String what = part + " inclusion " + index + "/" + size;
        assertTrue(inclusion(t, index, size, path, root), what);
        for (List<byte[]> bad : corruptions(path)) {
          assertFalse(inclusion(t, index, size, bad, root), what + " with a corrupted path");
        }
        assertFalse(inclusion(t, index, size, path, t.roots().get(size == 1 ? 2 : size - 1)), what + " other root");
        // a signed head binds a size to its root: a proof must fail against the tree one smaller or larger
        assertFalse(inclusion(t, index, size - 1, path, t.roots().get(size - 1)), what + " size-1");
        if (size + 1 < t.roots().size()) {
          assertFalse(inclusion(t, index, size + 1, path, t.roots().get(size + 1)), what + " size+1");
        }
        if (size > 1) {
          long other = index == 0 ? 1 : index - 1;
          assertFalse(Merkle.verifyInclusion(other, size, t.leafHashes().get((int) index), path, root),
              what + " at another index");
        }
        assertFalse(inclusion(t, size, size, path, root), what + " index = size");
        checked++;
      }
    }
    assertTrue(checked > 800, "all the vectors were read: " + checked);
  }

  @Test
  void everyPublishedAndGeneratedConsistencyProofPassesAndEveryCorruptionFails() {
    int checked = 0;
    for (String part : List.of("published", "generated")) {
      Tree t = part.equals("published") ? published() : generated();
      JsonArray proofs = vectors.getJsonObject(part).getJsonArray("consistency");
      for (int i = 0; i < proofs.size(); i++) {
        JsonObject p = proofs.getJsonObject(i);
        int from = p.getInteger("from");
        int to = p.getInteger("to");
        List<byte[]> path = path(p);
        byte[] r1 = t.roots().get(from);
        byte[] r2 = t.roots().get(to);
        String what = part + " consistency " + from + "->" + to;
        assertTrue(Merkle.verifyConsistency(from, to, r1, r2, path), what);
        for (List<byte[]> bad : corruptions(path)) {
          assertFalse(Merkle.verifyConsistency(from, to, r1, r2, bad), what + " with a corrupted path");
        }
        if (from != to) {
          assertFalse(Merkle.verifyConsistency(from, to, r1, t.roots().get(to - 1), path), what + " other new root");
          assertFalse(Merkle.verifyConsistency(from - 1, to, t.roots().get(from - 1), r2, path), what + " from-1");
          int other = to + 1 < t.roots().size() ? to + 1 : to - 1;
          assertFalse(Merkle.verifyConsistency(from, other, r1, t.roots().get(other), path), what + " another to");
          assertFalse(Merkle.verifyConsistency(from + 1, to, t.roots().get(from + 1), r2, path), what + " from+1");
        } else {
          assertFalse(Merkle.verifyConsistency(from, to, r1, t.roots().get(to == 1 ? 2 : to - 1), path),
              what + " same size, another root");
        }
        assertFalse(Merkle.verifyConsistency(to, from == to ? to : from, r2, r1, path) && from != to,
            what + " reversed");
        checked++;
      }
    }
    assertTrue(checked > 900, "all the vectors were read: " + checked);
  }

  @Test
  void theTestTreeReproducesTheVectors() {
    MerkleTree tree = new MerkleTree();
    Tree g = generated();
    for (int i = 0; i < g.leafHashes().size(); i++) {
      tree.add("leaf-" + i);
    }
    for (int n = 0; n <= tree.size(); n++) {
      assertArrayEquals(g.roots().get(n), tree.root(n), "root of " + n);
    }
    JsonObject p = vectors.getJsonObject("generated").getJsonArray("inclusion").getJsonObject(100);
    assertEquals(HEX.formatHex(concat(path(p))),
        HEX.formatHex(concat(tree.inclusion(p.getInteger("index"), p.getInteger("size")))));
    JsonObject c = vectors.getJsonObject("generated").getJsonArray("consistency").getJsonObject(200);
    assertEquals(HEX.formatHex(concat(path(c))),
        HEX.formatHex(concat(tree.consistency(c.getInteger("from"), c.getInteger("to")))));
  }

  @Test
  void malformedInputsFailWithoutThrowing() {
    Tree t = published();
    List<byte[]> shortHash = List.of(new byte[31]);
    assertFalse(Merkle.verifyInclusion(0, 2, t.leafHashes().get(0), shortHash, t.roots().get(2)));
    assertFalse(Merkle.verifyInclusion(-1, 2, t.leafHashes().get(0), List.of(), t.roots().get(2)));
    assertFalse(Merkle.verifyConsistency(3, 2, t.roots().get(3), t.roots().get(2), List.of()));
    assertFalse(Merkle.verifyConsistency(2, 4, t.roots().get(2), t.roots().get(4), List.of()), "empty path");
    assertTrue(Merkle.verifyConsistency(0, 4, Merkle.emptyRoot(), t.roots().get(4), List.of()),
        "the empty tree is a prefix of every tree");
  }

  /** Every corruption of a path: each bit-flipped element, truncated, extended, reordered. */
  static List<List<byte[]>> corruptions(List<byte[]> path) {
    List<List<byte[]>> out = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      for (int bit : new int[] {0, 7 * 8 + 3, 31 * 8 + 7}) {
        List<byte[]> p = new ArrayList<>(path);
        byte[] e = p.get(i).clone();
        e[bit / 8] ^= (byte) (1 << (bit % 8));
        p.set(i, e);
        out.add(p);
      }
    }
    if (!path.isEmpty()) {
      out.add(new ArrayList<>(path.subList(0, path.size() - 1)));
      out.add(new ArrayList<>(path.subList(1, path.size())));
    }
    List<byte[]> longer = new ArrayList<>(path);
    longer.add(new byte[32]);
    out.add(longer);
    List<byte[]> dup = new ArrayList<>(path);
    if (!path.isEmpty()) {
      dup.add(path.get(path.size() - 1));
      out.add(dup);
    }
    if (path.size() > 1) {
      List<byte[]> swapped = new ArrayList<>(path);
      Collections.swap(swapped, 0, 1);
      if (!java.util.Arrays.equals(swapped.get(0), path.get(0))) {
        out.add(swapped);
      }
      List<byte[]> reversed = new ArrayList<>(path);
      Collections.reverse(reversed);
      if (!java.util.Arrays.equals(concat(reversed), concat(path))) {
        out.add(reversed);
      }
    }
    return out;
  }

  static byte[] concat(List<byte[]> path) {
    byte[] out = new byte[path.size() * 32];
    for (int i = 0; i < path.size(); i++) {
      System.arraycopy(path.get(i), 0, out, i * 32, 32);
    }
    return out;
  }
}
