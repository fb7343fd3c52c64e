package io.sealroom.kt;

import java.util.List;

/** The RFC 9162 consistency path from the tree of {@code from} leaves to that of {@code to} (empty when equal). */
public record ConsistencyProof(long from, long to, List<byte[]> path) {
}
