package io.sealroom.gateway;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Coalesces writes on one event loop: a connection written to is flushed once, by a task that
 * runs after whatever the loop already has queued, so the frames of a burst (many messages
 * fanned out in one turn) leave in one system call per connection instead of one per frame.
 * Confined to its event loop.
 */
final class Flusher implements Runnable {
  private static final FastThreadLocal<Flusher> PER_LOOP = new FastThreadLocal<>();

  private final io.netty.util.concurrent.EventExecutor loop;
  private Connection[] dirty = new Connection[256];
  private int count;
  private boolean scheduled;

  private Flusher(io.netty.util.concurrent.EventExecutor loop) {
    this.loop = loop;
  }

  /** The flusher of {@code loop}; call only on that loop's thread. */
  static Flusher of(io.netty.util.concurrent.EventExecutor loop) {
    Flusher f = PER_LOOP.get();
    if (f == null) {
      f = new Flusher(loop);
      PER_LOOP.set(f);
    }
    return f;
  }

  /** Called after a write that was not flushed; the connection is flushed once this turn ends. */
  void mark(Connection c) {
    if (c.flushPending) {
      return;
    }
    c.flushPending = true;
    if (count == dirty.length) {
      dirty = Arrays.copyOf(dirty, count * 2);
    }
    dirty[count++] = c;
    if (!scheduled) {
      scheduled = true;
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    int n = count;
    count = 0;
    for (int i = 0; i < n; i++) {
      Connection c = dirty[i];
      dirty[i] = null;
      c.flushPending = false;
      c.flushNow();
    }
  }
}
