package io.sealroom.kt;

/**
 * Where {@link Merkle} reads complete subtree hashes from: a map fetched from a store, or an
 * in-memory array of leaf hashes. Implementations answer only for nodes that are complete in the
 * tree being read; asking for another one is a bug of the caller.
 */
@FunctionalInterface
public interface NodeSource {
  /** The 32-byte hash of the complete node. */
  byte[] node(NodeId id);
}
