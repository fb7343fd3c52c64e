package io.sealroom.kt;

import java.security.MessageDigest;
import java.util.List;

/**
 * The tests' checks of RFC 9162 proofs, as a client makes them: an inclusion path against a
 * root (section 2.1.3.2) and a consistency path between two roots (section 2.1.4.2). They take
 * only the proof and the roots, never the log, so a check cannot lean on the server's tree.
 * Stateless.
 */
public final class MerkleVerify {
  private MerkleVerify() {
  }

  /** True when {@code path} proves that {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code root}. */
  public static boolean inclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Merkle.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Merkle.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /**
   * True when {@code path} proves that the tree of {@code size1} leaves with {@code root1} is a
   * prefix of the tree of {@code size2} with {@code root2}.
   */
  public static boolean consistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> path) {
    if (size1 < 1 || size2 < size1) {
      return false;
    }
    if (size1 == size2) {
      return path.isEmpty() && MessageDigest.isEqual(root1, root2);
    }
    if (path.isEmpty()) {
      return false;
    }
    List<byte[]> c = path;
    if (Long.bitCount(size1) == 1) {
      c = new java.util.ArrayList<>(path.size() + 1);
      c.add(root1);
      c.addAll(path);
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = c.get(0);
    byte[] sr = c.get(0);
    for (byte[] h : c.subList(1, c.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Merkle.nodeHash(h, fr);
        sr = Merkle.nodeHash(h, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = Merkle.nodeHash(sr, h);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
  }
}
