package io.sealroom.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets per key in this node's memory; a bucket idle long enough to be full again is forgotten. Thread-safe. */
public final class TokenBuckets {
  private final double rate;
  private final double capacity;
  private final long fullAfterMs;
  private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
  private volatile long nextSweep;

  public TokenBuckets(int ratePerSecond, int burstSeconds) {
    this.rate = ratePerSecond;
    this.capacity = (double) ratePerSecond * burstSeconds;
    this.fullAfterMs = burstSeconds * 1000L;
  }

  /** Takes one token from the key's bucket at the given time; false when it is empty. */
  public boolean take(String key, long nowMs) {
    sweep(nowMs);
    boolean[] taken = new boolean[1];
    buckets.compute(key, (k, b) -> {
      double[] next = b == null ? new double[] {capacity, nowMs} : b;
      taken[0] = Bucket.take(next, rate, capacity, nowMs);
      return next;
    });
    return taken[0];
  }

  private void sweep(long nowMs) {
    if (nowMs < nextSweep) {
      return;
    }
    nextSweep = nowMs + fullAfterMs;
    for (Iterator<double[]> it = buckets.values().iterator(); it.hasNext();) {
      double[] b = it.next();
      if (nowMs - (long) b[1] >= fullAfterMs) {
        it.remove();
      }
    }
  }
}
