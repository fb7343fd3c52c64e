package io.sealroom.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One connection's subscription to one room. While the stored history after {@code since} is
 * replayed, live frames are buffered; afterwards a frame is dropped when its seq was already
 * delivered. Delivered seqs are kept as a floor (everything up to it was delivered) plus the few
 * above it, so a message stored late (its seq allocated before one delivered earlier) still gets
 * through. Event-loop confined.
 */
final class RoomSub {
  static final int MAX_BUFFERED = 10_000;
  private static final int MAX_ABOVE = 4096;

  final String rid;
  final Connection conn;
  private boolean dedupe;
  boolean replaying;
  boolean overflowed;
  /** A check of a gap in the delivered seqs is scheduled. */
  boolean gapCheck;
  final List<RoomFrame> buffered = new ArrayList<>();
  private long floor;
  private final TreeSet<Long> above = new TreeSet<>();

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
}
