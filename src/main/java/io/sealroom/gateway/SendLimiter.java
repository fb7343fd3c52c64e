package io.sealroom.gateway;

/**
 * Token bucket of ws.sendRatePerSecond per connection (burst of one second's worth). Refusals
 * are counted per second: a client that keeps sending at twice the rate is disconnected.
 * Event-loop confined.
 */
final class SendLimiter {
  enum Verdict { OK, REFUSE, CLOSE }

  private final int rate;
  private double tokens;
  private long last;
  private long refusalWindow;
  private int refusals;

  SendLimiter(int ratePerSecond) {
    this.rate = ratePerSecond;
    this.tokens = ratePerSecond;
  }

  Verdict tryAcquire(long nowMs) {
    if (rate == 0) {
      return Verdict.OK;
    }
    if (last != 0) {
      tokens = Math.min(rate, tokens + (nowMs - last) * rate / 1000.0);
    }
    last = nowMs;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.OK;
    }
    if (nowMs - refusalWindow >= 1000) {
      refusalWindow = nowMs;
      refusals = 0;
    }
    refusals++;
    return refusals > rate ? Verdict.CLOSE : Verdict.REFUSE;
  }
}
