package io.sealroom.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The auditor's tree against the RFC 9162 vectors of src/test/resources/kt (see the README
 * there): every root of 0 to 70 leaves, and the ranges the locator reads from an inclusion
 * proof are the ranges whose hashes the proof carries.
 */
class AuditTreeTest {
  static JsonObject generated() throws Exception {
    try (InputStream in = AuditTreeTest.class.getResourceAsStream("/kt/merkle-vectors.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("generated");
    }
  }

  static AuditTree tree(int n) {
    AuditTree t = new AuditTree();
    for (int i = 0; i < n; i++) {
      t.add("leaf-" + i);
    }
    return t;
  }

  @Test
  void rootsOfEverySize() throws Exception {
    JsonArray roots = generated().getJsonArray("rootsHex");
    AuditTree t = tree(70);
    for (int n = 0; n <= 70; n++) {
      assertEquals(roots.getString(n), HexFormat.of().formatHex(t.root(0, n)), "size " + n);
    }
  }

  @Test
  void theLocatorsRangesAreTheProofsEntries() throws Exception {
    AuditTree t = tree(70);
    int checked = 0;
    for (Object o : generated().getJsonArray("inclusion")) {
      JsonObject v = (JsonObject) o;
      int index = v.getInteger("index");
      int size = v.getInteger("size");
      if (index != 0) {
        continue;
      }
      JsonArray path = v.getJsonArray("pathHex");
      List<int[]> ranges = AuditTree.innerSiblings(0, size);
      assertEquals(path.size(), ranges.size(), "size " + size);
      for (int j = 0; j < ranges.size(); j++) {
        assertArrayEquals(HexFormat.of().parseHex(path.getString(j)), t.root(ranges.get(j)[0], ranges.get(j)[1]),
            "size " + size + " entry " + j);
      }
      checked++;
    }
    assertEquals(70, checked);
  }

  @Test
  void insideASubtreeTheFirstEntriesAreItsOwn() throws Exception {
    AuditTree t = tree(70);
    for (Object o : generated().getJsonArray("inclusion")) {
      JsonObject v = (JsonObject) o;
      if (v.getInteger("size") != 70 || v.getInteger("index") != 56) {
        continue;
      }
      // 56 is the first leaf of [56, 64), a subtree of the tree of 70: its first 3 entries are [57,58), [58,60), [60,64)
      List<int[]> ranges = AuditTree.innerSiblings(56, 64);
      assertEquals(3, ranges.size());
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(HexFormat.of().parseHex(v.getJsonArray("pathHex").getString(j)),
            t.root(ranges.get(j)[0], ranges.get(j)[1]));
      }
      return;
    }
    throw new AssertionError("the vectors have no proof of leaf 56 in 70");
  }
}
