package io.sealroom.kt;

/**
 * A complete, aligned subtree of the log: level {@code k}, index {@code j} covers leaves
 * {@code [j * 2^k, (j + 1) * 2^k)}. Level 0 is a leaf's hash. Such a node never changes once its
 * last leaf is appended, which is why the stores keep exactly these.
 */
public record NodeId(int level, long index) {
  public NodeId {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no such node: " + level + ":" + index);
    }
  }

  /** The first leaf the node covers. */
  public long firstLeaf() {
    return index << level;
  }

  /** "level:index", the node's id in stores that key by string. */
  @Override
  public String toString() {
    return level + ":" + index;
  }
}
