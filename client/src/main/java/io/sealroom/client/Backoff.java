package io.sealroom.client;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code min}, doubling to {@code max}, with "equal
 * jitter" (half the step fixed, half random) so clients that dropped together do not come
 * back together, yet no delay falls below half the step. Not thread-safe: one owner.
 */
final class Backoff {
  private final long minMs;
  private final long maxMs;
  private final DoubleSupplier random;
  private int attempt;

  Backoff(long minMs, long maxMs, DoubleSupplier random) {
    if (minMs <= 0 || maxMs < minMs) {
      throw new IllegalArgumentException("need 0 < min <= max");
    }
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  long nextDelayMs() {
    long step = step(attempt);
    if (attempt < 62) {
      attempt++;
    }
    long half = step / 2;
    return Math.min(step, half + (long) (random.getAsDouble() * (step - half + 1)));
  }

  /** The un-jittered step of the given attempt: min * 2^attempt, capped at max. */
  long step(int n) {
    if (n >= 62 || minMs > (maxMs >> n)) {
      return maxMs;
    }
    return minMs << n;
  }

  /** After a successful connection the next failure starts from min again. */
  void reset() {
    attempt = 0;
  }

  int attempts() {
    return attempt;
  }
}
