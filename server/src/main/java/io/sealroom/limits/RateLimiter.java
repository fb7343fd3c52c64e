package io.sealroom.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window counter per key: a key is over its limit once {@code limit} events were recorded
 * in the current window. Node-local memory; stale windows are swept as the map is used.
 * Thread-safe.
 */
public final class RateLimiter {
  private final int limit;
  private final long windowMs;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private volatile long nextSweep;

  private static final class Window {
    final long start;
    int count;

    Window(long start) {
      this.start = start;
    }
  }

  public RateLimiter(int limit, long windowMs, LongSupplier clock) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  /** Counts one attempt for the key; false when the key is over its limit in this window. */
  public boolean tryAcquire(String key) {
    long now = clock.getAsLong();
    sweep(now);
    boolean[] acquired = new boolean[1];
    // one atomic step per key: concurrent callers cannot all pass the check before any counts
    windows.compute(key, (k, old) -> {
      Window w = old == null || now - old.start >= windowMs ? new Window(now) : old;
      synchronized (w) {
        if (w.count < limit) {
          w.count++;
          acquired[0] = true;
        }
      }
      return w;
    });
    return acquired[0];
  }

  /** True when the key's current window already holds {@code limit} events. */
  public boolean isOver(String key) {
    long now = clock.getAsLong();
    Window w = windows.get(key);
    if (w == null || now - w.start >= windowMs) {
      return false;
    }
    synchronized (w) {
      return w.count >= limit;
    }
  }

  /** Records one event for the key. */
  public void record(String key) {
    long now = clock.getAsLong();
    sweep(now);
    Window w = windows.compute(key, (k, old) -> old == null || now - old.start >= windowMs ? new Window(now) : old);
    synchronized (w) {
      w.count++;
    }
  }

  /** Takes back one event recorded for the key in its current window (an attempt that turned out fine). */
  public void forgive(String key) {
    Window w = windows.get(key);
    if (w != null) {
      synchronized (w) {
        if (w.count > 0) {
          w.count--;
        }
      }
    }
  }

  private void sweep(long now) {
    if (now < nextSweep) {
      return;
    }
    nextSweep = now + windowMs;
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
      if (now - it.next().start >= windowMs) {
        it.remove();
      }
    }
  }
}
