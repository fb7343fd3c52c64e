package io.sealroom.kt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Merkle tree hash of RFC 9162 section 2.1 (SHA-256; leaf {@code H(0x00 || leaf)}, node
 * {@code H(0x01 || left || right)}, empty tree {@code H("")}): roots, inclusion paths (2.1.3.1)
 * and consistency paths (2.1.4.1) of the tree of the first {@code size} leaves.
 *
 * <p>Everything is computed from <b>complete aligned subtrees</b> ({@link NodeId}) read from a
 * {@link NodeSource}. The RFC's recursion splits a range at the largest power of two below its
 * size, so every power-of-two range it meets is aligned and complete: one stored hash. A root,
 * an inclusion path or a consistency path therefore reads O(log n) nodes, never the leaves.
 * Which nodes a computation reads does not depend on hash values, so {@link #plan} can list them
 * first (to fetch them in one batch) and the computation then runs over what was fetched.
 *
 * <p>Pure and stateless: safe from any thread. Hashing is cheap (O(log n) SHA-256 per call).
 */
public final class Merkle {
  public static final int HASH_BYTES = 32;
  private static final byte[] EMPTY_ROOT = sha256(new byte[0]);
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Merkle::newDigest);

  private Merkle() {
  }

  // ---- hashes

  /** {@code SHA-256(0x00 || leaf)}. */
  public static byte[] leafHash(byte[] leaf) {
    MessageDigest d = SHA256.get();
    d.update((byte) 0);
    return d.digest(leaf);
  }

  /** The hash of a leaf given as the string the log stores (UTF-8). */
  public static byte[] leafHash(String leaf) {
    return leafHash(leaf.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = SHA256.get();
    d.update((byte) 1);
    d.update(left);
    return d.digest(right);
  }

  /** The root of the empty tree, {@code SHA-256("")}. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  // ---- over complete subtrees

  /** The root of the tree of the first {@code size} leaves. */
  public static byte[] root(NodeSource src, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size " + size);
    }
    return size == 0 ? emptyRoot() : mth(src, 0, size);
  }

  /** The inclusion path of leaf {@code index} in the tree of {@code size} leaves, from the leaf's sibling up. */
  public static List<byte[]> inclusion(NodeSource src, long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> out = new ArrayList<>();
    path(src, index, 0, size, out);
    return out;
  }

  /** The consistency path from the tree of {@code from} leaves to that of {@code to}; empty when equal. */
  public static List<byte[]> consistency(NodeSource src, long from, long to) {
    if (from < 1 || from > to) {
      throw new IllegalArgumentException("no consistency proof from " + from + " to " + to);
    }
    List<byte[]> out = new ArrayList<>();
    if (from < to) {
      subproof(src, from, 0, to, true, out);
    }
    return out;
  }

  /**
   * The nodes a computation reads, in the order it first reads them: run it with this, fetch
   * them, run it again over what was fetched (e.g. {@code plan(s -> inclusion(s, i, n))}).
   */
  public static Set<NodeId> plan(Function<NodeSource, ?> computation) {
    Set<NodeId> wanted = new LinkedHashSet<>();
    byte[] placeholder = new byte[HASH_BYTES];
    computation.apply(id -> {
      wanted.add(id);
      return placeholder;
    });
    return wanted;
  }

  /** A source over fetched nodes; a node that is missing is a store fault (an IllegalStateException). */
  public static NodeSource fetched(Map<NodeId, byte[]> nodes) {
    return id -> {
      byte[] h = nodes.get(id);
      if (h == null) {
        throw new IllegalStateException("the log is missing node " + id);
      }
      return h;
    };
  }

  // ---- appends

  /**
   * The nodes an append of leaf {@code index} reads: the left siblings of the nodes it
   * completes (one per trailing one bit of the index; on average fewer than one).
   */
  public static List<NodeId> appendReads(long index) {
    List<NodeId> out = new ArrayList<>();
    int level = 0;
    for (long j = index; (j & 1) == 1; j >>>= 1, level++) {
      out.add(new NodeId(level, j - 1));
    }
    return out;
  }

  /**
   * The nodes that become complete when leaf {@code index} is appended, the leaf's own hash
   * (level 0) first: on average two per append. {@code src} must answer {@link #appendReads}.
   */
  public static Map<NodeId, byte[]> appendNodes(long index, byte[] leafHash, NodeSource src) {
    Map<NodeId, byte[]> out = new LinkedHashMap<>();
    byte[] h = leafHash;
    out.put(new NodeId(0, index), h);
    int level = 0;
    for (long j = index; (j & 1) == 1; j >>>= 1) {
      h = nodeHash(src.node(new NodeId(level, j - 1)), h);
      level++;
      out.put(new NodeId(level, j >>> 1), h);
    }
    return out;
  }

  // ---- in memory

  /** The root of the leaves {@code [from, to)} of an in-memory list of leaf hashes (RFC 9162 MTH). */
  public static byte[] root(List<byte[]> leafHashes, long from, long to) {
    if (from < 0 || to < from || to > leafHashes.size()) {
      throw new IllegalArgumentException("no range [" + from + ", " + to + ") in " + leafHashes.size() + " leaves");
    }
    return from == to ? emptyRoot() : mthList(leafHashes, (int) from, (int) to);
  }

  /**
   * A source over an in-memory list of leaf hashes, each node computed from its leaves (a node
   * of level k costs 2^k hashes: for tests and one-off checks, not for a serving node).
   */
  public static NodeSource memory(List<byte[]> leafHashes) {
    return id -> {
      long first = id.firstLeaf();
      long end = first + (1L << id.level());
      if (end > leafHashes.size()) {
        throw new IllegalArgumentException("node " + id + " is not complete in " + leafHashes.size() + " leaves");
      }
      return mthList(leafHashes, (int) first, (int) end);
    };
  }

  // ---- the RFC's recursions, over the leaves [start, start + n)

  private static byte[] mth(NodeSource src, long start, long n) {
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return src.node(new NodeId(level, start >>> level));
    }
    long k = Long.highestOneBit(n - 1);
    return nodeHash(mth(src, start, k), mth(src, start + k, n - k));
  }

  private static void path(NodeSource src, long m, long start, long n, List<byte[]> out) {
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(src, m, start, k, out);
      out.add(mth(src, start + k, n - k));
    } else {
      path(src, m - k, start + k, n - k, out);
      out.add(mth(src, start, k));
    }
  }

  private static void subproof(NodeSource src, long m, long start, long n, boolean whole, List<byte[]> out) {
    if (m == n) {
      if (!whole) {
        out.add(mth(src, start, n));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(src, m, start, k, whole, out);
      out.add(mth(src, start + k, n - k));
    } else {
      subproof(src, m - k, start + k, n - k, false, out);
      out.add(mth(src, start, k));
    }
  }

  private static byte[] mthList(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return nodeHash(mthList(leaves, from, from + k), mthList(leaves, from + k, to));
  }

  private static byte[] sha256(byte[] b) {
    return newDigest().digest(b);
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
