package io.sealroom.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window counter per key: at most {@code limit} acquisitions per window. Node-local
 * memory; stale windows are swept as the map is used. Thread-safe.
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
    Window w = windows.compute(key, (k, old) -> old == null || now - old.start >= windowMs ? new Window(now) : old);
    synchronized (w) {
      if (w.count >= limit) {
        return false;
      }
      w.count++;
      return true;
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
