package io.sealroom.gateway;

import io.sealroom.limits.Limits;
import io.vertx.core.Future;

/**
 * What a connection's send over the user's budget (ws.sendRatePerSecond, a token bucket per user
 * holding {@link #BURST_SECONDS} seconds' worth, shared by all of the user's connections on every
 * node) leads to. Refusals are counted per connection and second: as many refusals in one second
 * as the rate (a client sending at twice the rate) disconnects it. Event-loop confined (the
 * budget of {@link #userBudget} is thread-safe and shared by the REST API's sends).
 */
public final class SendLimiter {
  enum Verdict { OK, REFUSE, CLOSE }

  static final int BURST_SECONDS = 10;
  private final int rate;
  private long refusalWindow;
  private int refusals;

  SendLimiter(int ratePerSecond) {
    this.rate = ratePerSecond;
  }

  /** Each user's send budget: ws.sendRatePerSecond with bursts of ten seconds' worth; none for 0. */
  public static Limits.Buckets userBudget(Limits limits, int ratePerSecond) {
    if (ratePerSecond == 0) {
      Future<Boolean> yes = Future.succeededFuture(true);
      return uid -> yes;
    }
    return limits.buckets("sends", ratePerSecond, BURST_SECONDS);
  }

  /** The verdict on a send that did ({@code taken}) or did not get a token of the user's budget. */
  Verdict judge(boolean taken, long nowMs) {
    if (taken || rate == 0) {
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
