package io.sealroom.messages;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Persistence of messages and of each room's sequence counter. Futures complete on the
 * caller's context. A written message is visible to readers at once but only durable once
 * {@link io.sealroom.store.Durability#sync()} completes. A message is first claimed without a
 * seq (the store keeps a placeholder; records show seq 0 and readers of history and search never
 * see it), then given its seq.
 */
public interface MessageStore {
  /** Atomically increments the room's counter and returns the new value; fails not_found for no room. */
  Future<Long> allocateSeq(String rid);

  /** Inserts the message without a seq; fails with a duplicate-key store error when (uid, cid) exists. */
  Future<Void> claim(Message message);

  /** Sets the seq of a claimed message that has none yet; false when it already had one. */
  Future<Boolean> assignSeq(String rid, String messageId, long seq);

  /** The message this user sent with this cid (seq 0 while it has none yet), or null. */
  Future<Message> findByCid(String uid, String cid);

  /**
   * The room's messages with from &lt;= seq &lt;= to, ascending. Looked up by exact seq (so
   * the embedded store answers from an index): callers keep ranges to a page, at most
   * {@link #MAX_RANGE} seqs.
   */
  Future<List<Message>> range(String rid, long from, long to);

  int MAX_RANGE = 1000;

  /** Plain-text messages of these rooms whose text contains the pattern (case-insensitive), newest first. */
  Future<List<Message>> searchText(Collection<String> rids, String literal, int limit);
}
