package io.sealroom.messages;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Persistence of messages and of each room's sequence counter. Futures complete on the
 * caller's context. A written message is visible to readers at once but only durable once
 * {@link io.sealroom.store.Durability#sync()} completes. A message is first claimed without a
 * seq (seq 0 in the record; readers of history and search never see it), then given its seq.
 */
public interface MessageStore {
  /** Atomically increments the room's counter and returns the new value; fails not_found for no room. */
  Future<Long> allocateSeq(String rid);

  /** Inserts the message without a seq; fails with a duplicate-key store error when (uid, cid) exists. */
  Future<Void> claim(Message message);

  /** Sets the seq of a claimed message that has none yet; false when it already had one. */
  Future<Boolean> assignSeq(String messageId, long seq);

  /** The message this user sent with this cid (seq 0 while it has none yet), or null. */
  Future<Message> findByCid(String uid, String cid);

  /**
   * Messages with after &lt; seq &lt; before (either bound may be absent: -1 / Long.MAX_VALUE),
   * at most limit of them, ascending; when {@code newest} is set, the newest limit of them.
   */
  Future<List<Message>> page(String rid, long after, long before, int limit, boolean newest);

  /** Plain-text messages of these rooms whose text contains the pattern (case-insensitive), newest first. */
  Future<List<Message>> searchText(Collection<String> rids, String literal, int limit);
}
