package io.sealroom.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the messages of one room, as they arrive (live frames, replays after a resubscribe,
 * history pages: duplicated and sometimes out of order), into one gap-free run in seq order,
 * each seq once. {@link #contiguous()} is the {@code since} to resubscribe with.
 * Not thread-safe: one owner (the client's engine thread).
 */
final class SeqOrderer<T> {
  private long contiguous = -1;
  private final TreeMap<Long, T> ahead = new TreeMap<>();

  /** Starts the run after {@code since} (messages up to it count as seen); only the first call counts. */
  List<T> start(long since) {
    if (contiguous >= 0) {
      return List.of();
    }
    contiguous = since;
    ahead.headMap(since, true).clear();
    return release();
  }

  boolean started() {
    return contiguous >= 0;
  }

  /**
   * Accepts one message and returns those that are now next in order (possibly none, when a
   * seq before it is missing; possibly several, when it filled a gap). Duplicates and seqs
   * already passed return nothing. Before {@link #start} everything is held.
   */
  List<T> offer(long seq, T item) {
    if (seq <= contiguous || ahead.containsKey(seq)) {
      return List.of();
    }
    ahead.put(seq, item);
    return contiguous < 0 ? List.of() : release();
  }

  /** The highest seq such that every seq up to it was handed out (or skipped); -1 before start. */
  long contiguous() {
    return contiguous;
  }

  /** True while a later seq is held because an earlier one is missing. */
  boolean hasGap() {
    return contiguous >= 0 && !ahead.isEmpty();
  }

  /** The lowest held seq, or -1. */
  long firstHeld() {
    return ahead.isEmpty() ? -1 : ahead.firstKey();
  }

  /** Gives up on every missing seq up to {@code seq} and returns what that releases. */
  List<T> skipTo(long seq) {
    if (contiguous < 0 || seq <= contiguous) {
      return List.of();
    }
    List<T> out = new ArrayList<>(ahead.headMap(seq, true).values());
    ahead.headMap(seq, true).clear();
    contiguous = seq;
    out.addAll(release());
    return out;
  }

  private List<T> release() {
    List<T> out = new ArrayList<>();
    Map.Entry<Long, T> e;
    while ((e = ahead.firstEntry()) != null && e.getKey() <= contiguous + 1) {
      ahead.pollFirstEntry();
      if (e.getKey() == contiguous + 1) {
        contiguous++;
        out.add(e.getValue());
      }
    }
    return out;
  }
}
