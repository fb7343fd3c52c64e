package io.sealroom.messages;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * Raises the room documents' seq toward what the {@link Sequencer} stored, in one write for all
 * the rooms that are due, a little after the messages were stored: a room whose document lags by
 * {@link #RAISE_LAG} seqs or more, or has lagged for {@link #RAISE_MAX_MS}. Readers of the head
 * look past a lagging room seq (a probe of {@code RAISE_LAG}-odd keys), so a busy room costs one
 * room write per {@code RAISE_LAG} messages and a quiet one a write per second at most, instead of
 * one per message. A failed raise is tried again at the next round. Confined to the sequencer's
 * context: {@link #stored} is called there, and its timers run there.
 */
final class HeadRaiser {
  /** How often rooms due for a raise of their document's seq are looked at. */
  static final long RAISE_MS = 50;
  static final long RAISE_LAG = 32;
  static final long RAISE_MAX_MS = 1000;
  private static final int MAX_TRACKED = 100_000;

  private final Vertx vertx;
  private final MessageStore messages;
  /** Per room: the highest seq stored and not raised yet. */
  private final Map<String, Long> unraised = new HashMap<>();
  /** Per room: the seq its document was last raised to, and when (epoch ms). */
  private final Map<String, long[]> raised = new HashMap<>();
  private long raiseTimer = -1;

  HeadRaiser(Vertx vertx, MessageStore messages) {
    this.vertx = vertx;
    this.messages = messages;
  }

  /** Message {@code seq} of the room is stored: its document's seq is raised to it soon. */
  void stored(String rid, long seq) {
    unraised.merge(rid, seq, Math::max);
    if (raiseTimer < 0) {
      raiseTimer = vertx.setTimer(RAISE_MS, t -> raiseHeads());
    }
  }

  private void raiseHeads() {
    long now = System.currentTimeMillis();
    Map<String, Long> due = new HashMap<>();
    unraised.forEach((rid, seq) -> {
      long[] r = raised.computeIfAbsent(rid, k -> new long[] {0, now});
      if (seq - r[0] >= RAISE_LAG || now - r[1] >= RAISE_MAX_MS) {
        due.put(rid, seq);
      }
    });
    due.keySet().forEach(unraised::remove);
    messages.raiseHeads(due).onComplete(ar -> {
      long done = System.currentTimeMillis();
      if (ar.failed()) {
        due.forEach((rid, seq) -> unraised.merge(rid, seq, Math::max)); // again next time
      } else {
        due.forEach((rid, seq) -> raised.put(rid, new long[] {seq, done}));
      }
      if (raised.size() > MAX_TRACKED) {
        raised.keySet().retainAll(unraised.keySet()); // forget rooms with nothing to raise
      }
      raiseTimer = unraised.isEmpty() ? -1 : vertx.setTimer(RAISE_MS, t -> raiseHeads());
    });
  }
}
