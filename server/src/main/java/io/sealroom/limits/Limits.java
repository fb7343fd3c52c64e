package io.sealroom.limits;

import io.vertx.core.Future;

/**
 * Where the rate limits of users and addresses are counted: in this node's memory, or (clustered)
 * in the cluster's shared maps, so that a limit holds per user however many nodes the user's
 * sockets and requests are spread over. Thread-safe.
 */
public interface Limits {
  /** Fixed windows: at most {@code limit} events per key within {@code windowMs} of a window's first event. */
  Windows windows(String name, int limit, long windowMs);

  /** Token buckets: {@code ratePerSecond} per key, sustained, holding up to {@code burstSeconds} seconds' worth. */
  Buckets buckets(String name, int ratePerSecond, int burstSeconds);

  /** Fixed-window counters per key. */
  interface Windows {
    /** Counts one event for the key unless the key is at its limit; true when counted. */
    Future<Boolean> tryAcquire(String key);

    /** Takes back one event counted for the key in its current window. */
    void forgive(String key);
  }

  /** Token buckets per key. */
  interface Buckets {
    /** Takes one token from the key's bucket; false when it is empty. */
    Future<Boolean> take(String key);
  }

  /** Counted in this node's memory. */
  static Limits local() {
    return LocalLimits.INSTANCE;
  }
}
