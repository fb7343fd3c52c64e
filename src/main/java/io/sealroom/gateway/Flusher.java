package io.sealroom.gateway;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces writes on one event loop. A connection written to is flushed by a task that runs
 * after whatever the loop already has queued, so the frames of a burst (many messages fanned out
 * in one turn) leave in one system call per connection instead of one per frame. A connection
 * flushed less than {@code interval} ago is held until the interval has passed: at low rates
 * every frame leaves at once, and under a steady stream each system call carries the frames of
 * up to one interval (one system call per frame is what a fan-out server spends most of its CPU
 * on). Confined to its event loop.
 */
final class Flusher implements Runnable {
  private static final FastThreadLocal<Flusher> PER_LOOP = new FastThreadLocal<>();
  static volatile long intervalNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("sealroom.flushMs", 0));

  private final io.netty.util.concurrent.EventExecutor loop;
  private final Runnable flushHeld = this::flushHeld;
  private Connection[] dirty = new Connection[256];
  private int count;
  private boolean scheduled;
  private Connection[] held = new Connection[256];
  private int heldCount;
  private boolean heldScheduled;

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

  /** Called after a write that was not flushed; the connection is flushed once this turn ends (or its interval). */
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
    long interval = intervalNanos;
    long now = interval > 0 ? System.nanoTime() : 0;
    long firstDue = Long.MAX_VALUE;
    int n = count;
    count = 0;
    for (int i = 0; i < n; i++) {
      Connection c = dirty[i];
      dirty[i] = null;
      if (interval > 0 && now - c.lastFlushNanos < interval) {
        if (heldCount == held.length) {
          held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = c;
        firstDue = Math.min(firstDue, c.lastFlushNanos + interval);
        continue;
      }
      c.flushPending = false;
      c.lastFlushNanos = now;
      c.flushNow();
    }
    if (heldCount > 0 && !heldScheduled) {
      heldScheduled = true;
      loop.schedule(flushHeld, Math.max(0, firstDue - now), TimeUnit.NANOSECONDS);
    }
  }

  private void flushHeld() {
    heldScheduled = false;
    long now = System.nanoTime();
    int n = heldCount;
    heldCount = 0;
    for (int i = 0; i < n; i++) {
      Connection c = held[i];
      held[i] = null;
      c.flushPending = false;
      c.lastFlushNanos = now;
      c.flushNow();
    }
  }
}
