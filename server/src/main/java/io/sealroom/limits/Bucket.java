package io.sealroom.limits;

/** The token-bucket step shared by the node-local and the cluster-wide buckets: state is {tokens, last refill ms}. */
final class Bucket {
  private Bucket() {
  }

  /** Refills {@code state} up to now and takes one token if there is one; true when taken. */
  static boolean take(double[] state, double ratePerSecond, double capacity, long nowMs) {
    long last = (long) state[1];
    if (nowMs > last) {
      state[0] = Math.min(capacity, state[0] + (nowMs - last) * ratePerSecond / 1000.0);
      state[1] = nowMs;
    }
    if (state[0] >= 1) {
      state[0] -= 1;
      return true;
    }
    return false;
  }
}
