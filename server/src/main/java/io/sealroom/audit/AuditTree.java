package io.sealroom.audit;

import io.sealroom.kt.Merkle;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditor's own copy of the log's tree: every leaf hash it downloaded, in memory (32 bytes a
 * leaf, so a million versions take 32 MB), with RFC 9162 roots of any range of them
 * ({@link Merkle#root(List, long, long)}). What the audit trusts is this copy, built from the
 * leaves the node serves, never the node's stored subtree hashes.
 */
final class AuditTree {
  private final List<byte[]> leaves = new ArrayList<>();

  void add(String leaf) {
    leaves.add(Merkle.leafHash(leaf));
  }

  int size() {
    return leaves.size();
  }

  byte[] leaf(int i) {
    return leaves.get(i);
  }

  /** MTH of leaves [from, to): SHA-256 of nothing for an empty range. */
  byte[] root(int from, int to) {
    return Merkle.root(leaves, from, to);
  }

  /**
   * The ranges whose hashes an inclusion proof for leaf {@code lo} carries inside the subtree
   * [lo, hi), bottom up: [lo+1, lo+2), [lo+2, lo+4), ..., [lo+k, hi). {@code lo} must be the
   * subtree's first leaf, as it is wherever the locator looks.
   */
  static List<int[]> innerSiblings(int lo, int hi) {
    List<int[]> out = new ArrayList<>();
    int width = 1;
    while (lo + width < hi) {
      out.add(new int[] {lo + width, lo + 2 * width >= hi ? hi : lo + 2 * width});
      width *= 2;
    }
    return out;
  }
}
