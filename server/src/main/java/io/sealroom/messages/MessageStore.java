package io.sealroom.messages;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Persistence of messages and of each room's head. Futures complete on the caller's context. A
 * write's future completes only once it is durable: the embedded store fsyncs its log first, and
 * MongoDB answers per the connection string's write concern.
 */
public interface MessageStore {
  /**
   * The room's highest stored seq (0 when empty): the room document's seq, or higher when
   * messages were inserted after it was last raised. Fails not_found for no room.
   */
  Future<Long> head(String rid);

  /**
   * Inserts complete messages (seq set) in order, in one round trip. Succeeds with the count when
   * all were inserted; otherwise stops at the first failure: {@link DuplicateAt} when message i
   * hit a unique index (its seq or its (uid, cid) is taken: messages before i were inserted, none
   * after), {@link FailedAt} for anything else (index -1 when it is not known how far it got).
   */
  Future<Integer> insertOrdered(List<Message> batch);

  /** Raises each room's head (never lowers it). */
  Future<Void> raiseHeads(Map<String, Long> heads);

  /** The insert of message {@code index} of a batch hit a unique index. */
  final class DuplicateAt extends RuntimeException {
    public final int index;

    public DuplicateAt(int index) {
      super("duplicate key at " + index, null, false, false);
      this.index = index;
    }
  }

  /** The insert failed at message {@code index} (-1: unknown) for a reason other than a duplicate. */
  final class FailedAt extends RuntimeException {
    public final int index;

    public FailedAt(int index, Throwable cause) {
      super("insert failed at " + index, cause, false, false);
      this.index = index;
    }
  }

  /** The message this user sent with this cid or null. */
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
