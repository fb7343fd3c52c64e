package io.sealroom.gateway;

/**
 * Token bucket of ws.sendRatePerSecond per connection, holding up to {@link #BURST_SECONDS}
 * seconds' worth (a bot may catch up on a backlog). Refusals are counted per second: as many
 * refusals in one second as the rate (a client sending at twice the rate) disconnects it.
 * Event-loop confined.
 */
final class SendLimiter {
  enum Verdict { OK, REFUSE, CLOSE }

  static final int BURST_SECONDS = 10;
  private final int rate;
  private final double capacity;
  private double tokens;
  private long last;
  private long refusalWindow;
  private int refusals;

  SendLimiter(int ratePerSecond) {
    this.rate = ratePerSecond;
    this.capacity = (double) ratePerSecond * BURST_SECONDS;
    this.tokens = capacity;
  }

  Verdict tryAcquire(long nowMs) {
    if (rate == 0) {
      return Verdict.OK;
    }
    if (last != 0) {
      tokens = Math.min(capacity, tokens + (nowMs - last) * rate / 1000.0);
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
    // at least two: at a rate of 1 the first refusal must still be an error frame, not a close
    return refusals >= Math.max(2, rate) ? Verdict.CLOSE : Verdict.REFUSE;
  }
}
