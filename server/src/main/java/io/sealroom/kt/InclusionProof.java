package io.sealroom.kt;

import java.util.List;

/** Leaf {@code index} (the string {@code leaf}) of the tree of {@code size} leaves, and its path from the leaf's sibling up. */
public record InclusionProof(long index, String leaf, long size, List<byte[]> path) {
}
