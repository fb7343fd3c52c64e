package io.sealroom.kt;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Persistence of the key-transparency log, shared by every node of a cluster: leaves in the order
 * they were appended, the hash of every complete aligned subtree ({@link NodeId}), an index from
 * each version's key to its leaf, the size, and the log's signing key.
 *
 * <p>Guarantees, on both engines: appends are serialized (each index is taken once, with no gap);
 * a key is logged at most once; an append's future completes only once its leaf, the nodes it
 * completes and the size that includes it are durable, and {@link #size} never names a leaf whose
 * nodes are not stored yet. Stored nodes never change. Futures complete on the caller's context.
 */
public interface KtStore {
  /** A logged version: its leaf index and leaf string. */
  record Logged(long index, String leaf) {
  }

  /**
   * Appends {@code leaf} under {@code key} ({@code <uid>|<ukid>}) and answers its index; when the
   * key is logged already, answers the index it has (and the leaf stays as first logged).
   */
  Future<Long> append(String key, String leaf);

  /** The leaf logged under key, or null; only leaves within {@link #size} are answered. */
  Future<Logged> find(String key);

  /** The number of leaves whose nodes are stored. */
  Future<Long> size();

  /** The leaf strings {@code [start, end)}; the caller keeps {@code end <= size()}. */
  Future<List<String>> leaves(long start, long end);

  /** The stored hashes of these nodes (missing ones are absent from the map). One read where the engine allows. */
  Future<Map<NodeId, byte[]>> nodes(Collection<NodeId> ids);

  /**
   * The log's signing key as stored: {@code candidate} is stored if none is (first writer wins,
   * every node of a cluster then answers the same one).
   */
  Future<String> logKey(String candidate);

  /**
   * Every stored key version of every user that is not in the log, in no particular order: what
   * a start-up backfill appends. A long read: on a worker or paged, never holding up other reads.
   */
  Future<List<KtLeaf>> unlogged();
}
