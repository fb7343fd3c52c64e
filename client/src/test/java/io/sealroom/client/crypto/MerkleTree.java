package io.sealroom.client.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain recursive RFC 9162 section 2.1 tree (MTH, PATH, PROOF/SUBPROOF, as the RFC defines
 * them) for tests that need proofs of their own leaves. {@link MerkleTest} checks it against the
 * shared vectors before anything relies on it.
 */
public final class MerkleTree {
  private final List<byte[]> leaves = new ArrayList<>();

  public MerkleTree add(String leaf) {
    leaves.add(Merkle.leafHash(leaf));
    return this;
  }

  public MerkleTree addRaw(byte[] leaf) {
    leaves.add(Merkle.leafHash(leaf));
    return this;
  }

  public int size() {
    return leaves.size();
  }

  /** MTH of the first n leaves. */
  public byte[] root(int n) {
    return mth(0, n);
  }

  /** PATH(m, D[0:n]). */
  public List<byte[]> inclusion(int m, int n) {
    return path(m, 0, n);
  }

  /** PROOF(m, D[0:n]). */
  public List<byte[]> consistency(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private byte[] mth(int start, int n) {
    if (n == 0) {
      return Merkle.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(start);
    }
    int k = split(n);
    return Merkle.nodeHash(mth(start, k), mth(start + k, n - k));
  }

  private List<byte[]> path(int m, int start, int n) {
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = split(n);
    if (m < k) {
      out.addAll(path(m, start, k));
      out.add(mth(start + k, n - k));
    } else {
      out.addAll(path(m - k, start + k, n - k));
      out.add(mth(start, k));
    }
    return out;
  }

  private List<byte[]> subproof(int m, int start, int n, boolean b) {
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(start, n));
      }
      return out;
    }
    int k = split(n);
    if (m <= k) {
      out.addAll(subproof(m, start, k, b));
      out.add(mth(start + k, n - k));
    } else {
      out.addAll(subproof(m - k, start + k, n - k, false));
      out.add(mth(start, k));
    }
    return out;
  }

  /** The largest power of two smaller than n. */
  private static int split(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }
}
