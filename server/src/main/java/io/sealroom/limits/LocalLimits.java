package io.sealroom.limits;

import io.vertx.core.Future;

/** {@link Limits} in this node's memory. */
final class LocalLimits implements Limits {
  static final LocalLimits INSTANCE = new LocalLimits();
  private static final Future<Boolean> YES = Future.succeededFuture(true);
  private static final Future<Boolean> NO = Future.succeededFuture(false);

  private LocalLimits() {
  }

  @Override
  public Windows windows(String name, int limit, long windowMs) {
    RateLimiter limiter = new RateLimiter(limit, windowMs, System::currentTimeMillis);
    return new Windows() {
      @Override
      public Future<Boolean> tryAcquire(String key) {
        return limiter.tryAcquire(key) ? YES : NO;
      }

      @Override
      public void forgive(String key) {
        limiter.forgive(key);
      }
    };
  }

  @Override
  public Buckets buckets(String name, int ratePerSecond, int burstSeconds) {
    TokenBuckets buckets = new TokenBuckets(ratePerSecond, burstSeconds);
    return key -> buckets.take(key, System.currentTimeMillis()) ? YES : NO;
  }
}
