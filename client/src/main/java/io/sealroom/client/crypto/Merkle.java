package io.sealroom.client.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree hashing and proof verification of RFC 9162 section 2.1, as the key-transparency
 * log of docs/protocol.md uses it: SHA-256, leaf hash {@code H(0x00 || leaf)}, inner node
 * {@code H(0x01 || left || right)}, empty tree {@code H("")}. The two verifiers follow the
 * algorithms of sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency) step by step; they
 * answer false for every malformed input (a hash that is not 32 bytes, an index or size out of
 * range) instead of throwing, so that a caller has one failure to handle. Stateless.
 */
public final class Merkle {
  /** Length of every hash. */
  public static final int HASH_BYTES = 32;

  private Merkle() {
  }

  /** The hash of a leaf: SHA-256(0x00 || leaf). */
  public static byte[] leafHash(byte[] leaf) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    d.update(leaf);
    return d.digest();
  }

  /** The hash of a leaf given as the log's UTF-8 string. */
  public static byte[] leafHash(String leaf) {
    return leafHash(leaf.getBytes(StandardCharsets.UTF_8));
  }

  /** The hash of an inner node: SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The root of the empty tree, SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /**
   * RFC 9162 section 2.1.3.2: whether {@code path} proves that the leaf with hash
   * {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose root is
   * {@code root}. The path runs from the leaf's sibling upward.
   */
  public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size || !isHash(leafHash) || !isHash(root) || !allHashes(path)) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false; // the path is longer than the tree is deep
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        // a right edge without a sibling at these levels: climb until this node is a right child
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /**
   * RFC 9162 section 2.1.4.2: whether {@code path} proves that the tree of {@code first} leaves
   * with root {@code firstRoot} is a prefix of the tree of {@code second} leaves with root
   * {@code secondRoot}. Equal sizes need an empty path and equal roots; the empty tree is a
   * prefix of every tree.
   */
  public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
      List<byte[]> path) {
    if (first < 0 || second < first || !isHash(firstRoot) || !isHash(secondRoot) || !allHashes(path)) {
      return false;
    }
    if (first == second) {
      return path.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (first == 0) {
      return path.isEmpty() && MessageDigest.isEqual(firstRoot, emptyRoot());
    }
    if (path.isEmpty()) {
      return false;
    }
    List<byte[]> c = new ArrayList<>(path);
    if ((first & (first - 1)) == 0) {
      c.add(0, firstRoot); // the old tree is a complete subtree: its root is the first node
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = c.get(0);
    byte[] sr = c.get(0);
    for (int i = 1; i < c.size(); i++) {
      byte[] v = c.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(v, fr);
        sr = nodeHash(v, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, v);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }

  private static boolean isHash(byte[] h) {
    return h != null && h.length == HASH_BYTES;
  }

  private static boolean allHashes(List<byte[]> path) {
    return path != null && path.stream().allMatch(Merkle::isHash);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
