package io.sealroom.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One connection's subscription to one room, and what {@link RoomFanout} decides by: which seqs
 * were delivered, whether the stored history is being replayed, whether a gap check is
 * scheduled, whether the subscription ended.
 *
 * <p>While the stored history after {@code since} (or a gap) is replayed, live frames are
 * buffered; afterwards a frame is dropped when its seq was already delivered. Delivered seqs are
 * kept as a floor (everything up to it was delivered) plus the few above it, so a message stored
 * late (its seq allocated before one delivered earlier) still gets through. Event-loop confined.
 */
final class RoomSub {
  static final int MAX_BUFFERED = 10_000;
  private static final int MAX_ABOVE = 4096;

  final String rid;
  final Connection conn;
  private boolean dedupe;
  private boolean replaying;
  private boolean overflowed;
  /** A check of a gap in the delivered seqs is scheduled. */
  private boolean gapCheck;
  private boolean ended;
  private final List<RoomFrame> buffered = new ArrayList<>();
  private long floor;
  private final TreeSet<Long> above = new TreeSet<>();

  /** A subscription with {@code since} starts replaying the history after it; without, it starts live. */
  RoomSub(String rid, Connection conn, Long since) {
    this.rid = rid;
    this.conn = conn;
    this.dedupe = since != null;
    this.floor = since == null ? 0 : since;
    this.replaying = since != null;
  }

  /** From now on, deliver each seq above {@code head} once (a subscription without since starts at the head). */
  void track(long head) {
    if (!dedupe) {
      dedupe = true;
      floor = head;
    }
  }

  /** True when a seq above the floor was delivered but one below it was not (yet). */
  boolean hasGap() {
    return dedupe && !above.isEmpty();
  }

  /** The highest seq delivered (the floor when nothing above it was). */
  long highest() {
    return above.isEmpty() ? floor : above.last();
  }

  long floor() {
    return floor;
  }

  /** True (and recorded) when this seq was not delivered before. */
  boolean firstDelivery(long seq) {
    if (!dedupe || seq <= 0) {
      return true;
    }
    if (seq <= floor || above.contains(seq)) {
      return false;
    }
    if (seq == floor + 1) {
      floor = seq;
      while (!above.isEmpty() && above.first() == floor + 1) {
        floor = above.pollFirst();
      }
    } else {
      above.add(seq);
      // a seq that never arrives (its sender failed after taking it) must not pin memory forever
      while (above.size() > MAX_ABOVE) {
        floor = above.pollFirst();
      }
    }
    return true;
  }

  /** True while live frames are buffered because the store is being replayed. */
  boolean isReplaying() {
    return replaying;
  }

  /** The store fills in what the subscription has not had: live frames wait in the buffer meanwhile. */
  void startReplay() {
    replaying = true;
  }

  /** Buffers a live frame during replay; false when the buffer overflowed (replay must run again). */
  boolean buffer(RoomFrame f) {
    if (buffered.size() >= MAX_BUFFERED) {
      buffered.clear();
      overflowed = true;
      return false;
    }
    if (!overflowed) {
      buffered.add(f);
    }
    return true;
  }

  /** True when the buffer overflowed since the replay last reached the head. */
  boolean hasOverflowed() {
    return overflowed;
  }

  /** Live frames buffered during the replay. */
  int bufferedCount() {
    return buffered.size();
  }

  /**
   * The replay reached the head. True when the subscription is live again: the frames buffered
   * meanwhile are to be delivered first ({@link #drainBuffered}). False when the buffer
   * overflowed meanwhile: the subscription stays replaying and the store must be read again from
   * the floor, since the frames the buffer dropped are stored.
   */
  boolean finishReplay() {
    if (overflowed) {
      overflowed = false;
      return false;
    }
    replaying = false;
    return true;
  }

  /** Hands the buffered live frames, oldest first, to {@code deliver}, and empties the buffer. */
  void drainBuffered(Consumer<RoomFrame> deliver) {
    buffered.forEach(deliver);
    buffered.clear();
  }

  /**
   * True when a gap is open and no check of it is scheduled yet: the caller schedules one, and
   * until {@link #gapChecked} no other is.
   */
  boolean claimGapCheck() {
    if (gapCheck || !hasGap()) {
      return false;
    }
    gapCheck = true;
    return true;
  }

  /** The scheduled gap check ran. */
  void gapChecked() {
    gapCheck = false;
  }

  /** The subscription ended (unsubscribed, replaced, revoked, failed, or its connection closed): nothing more is delivered to it. */
  void end() {
    ended = true;
  }

  boolean isEnded() {
    return ended;
  }
}
