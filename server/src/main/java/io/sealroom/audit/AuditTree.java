package io.sealroom.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditor's own copy of the log's tree: every leaf hash in memory (32 bytes a leaf, so a
 * million versions take 32 MB), and RFC 9162 section 2.1 roots of any range computed from them.
 * Written apart from the server's tree code on purpose: an auditor that shared the log's code
 * would share its mistakes.
 */
final class AuditTree {
  private final List<byte[]> leaves = new ArrayList<>();

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] leafHash(String leaf) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    return d.digest(leaf.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 1);
    d.update(left);
    return d.digest(right);
  }

  /** The largest power of two smaller than {@code n} (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  void add(String leaf) {
    leaves.add(leafHash(leaf));
  }

  int size() {
    return leaves.size();
  }

  byte[] leaf(int i) {
    return leaves.get(i);
  }

  /** MTH of leaves [from, to): SHA-256 of nothing for an empty range. */
  byte[] root(int from, int to) {
    if (to == from) {
      return sha256().digest();
    }
    if (to - from == 1) {
      return leaves.get(from);
    }
    int k = (int) split(to - from);
    return nodeHash(root(from, from + k), root(from + k, to));
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
