package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.gateway.SendLimiter.Verdict;
import io.sealroom.limits.TokenBuckets;
import org.junit.jupiter.api.Test;

/** The send limit: a token bucket of ten seconds' worth per user, refusals per connection, then close at twice the rate. */
class SendLimiterTest {
  private static final long T0 = 1_700_000_000_000L;

  /** One user's budget and one of their connections. */
  private static final class Limited {
    final TokenBuckets budget;
    final SendLimiter connection;

    Limited(int rate) {
      budget = rate == 0 ? null : new TokenBuckets(rate, SendLimiter.BURST_SECONDS);
      connection = new SendLimiter(rate);
    }

    Verdict tryAcquire(long at) {
      return connection.judge(budget == null || budget.take("u", at), at);
    }
  }

  private static void spend(Limited l, int n, long at) {
    for (int i = 0; i < n; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(at), "burst " + i);
    }
  }

  @Test
  void rateZeroIsUnlimited() {
    Limited l = new Limited(0);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0));
    }
  }

  @Test
  void aBurstOfTenSecondsWorthIsAllowedThenRefusedThenClosed() {
    Limited l = new Limited(5);
    spend(l, 5 * SendLimiter.BURST_SECONDS, T0);
    for (int i = 0; i < 4; i++) {
      assertEquals(Verdict.REFUSE, l.tryAcquire(T0), "refusal " + i);
    }
    assertEquals(Verdict.CLOSE, l.tryAcquire(T0), "as many refusals in a second as the rate");
  }

  @Test
  void atARateOfOneTheFirstRefusalIsStillAnError() {
    Limited l = new Limited(1);
    spend(l, SendLimiter.BURST_SECONDS, T0);
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    assertEquals(Verdict.CLOSE, l.tryAcquire(T0));
  }

  @Test
  void tokensRefillWithTime() {
    Limited l = new Limited(5);
    spend(l, 5 * SendLimiter.BURST_SECONDS, T0);
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 100));
    assertEquals(Verdict.OK, l.tryAcquire(T0 + 200), "one token after a fifth of a second");
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 200));
  }

  @Test
  void theBurstIsCappedAtTenSecondsWorth() {
    Limited l = new Limited(5);
    assertEquals(Verdict.OK, l.tryAcquire(T0));
    long later = T0 + 3_600_000;
    spend(l, 5 * SendLimiter.BURST_SECONDS, later);
    assertEquals(Verdict.REFUSE, l.tryAcquire(later));
  }

  @Test
  void sendingSteadilyAtTheRateIsNeverRefused() {
    Limited l = new Limited(10);
    for (int i = 0; i < 3000; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0 + i * 100L), "send " + i);
    }
  }

  @Test
  void sendingSteadilyAtTwiceTheRateIsClosedOnceTheBurstIsSpent() {
    Limited l = new Limited(10);
    Verdict last = Verdict.OK;
    int sends = 0;
    while (last != Verdict.CLOSE && sends < 1000) {
      last = l.tryAcquire(T0 + sends * 50L);
      sends++;
    }
    assertEquals(Verdict.CLOSE, last, "closed when sending at twice the rate");
    assertTrue(sends > 10 * SendLimiter.BURST_SECONDS * 2 - 20, "not before the burst is spent: " + sends);
  }

  @Test
  void sendingSteadilyAtOneAndAHalfTimesTheRateIsRefusedButNotClosed() {
    Limited l = new Limited(10);
    int refused = 0;
    for (int i = 0; i < 1500; i++) {
      Verdict v = l.tryAcquire(T0 + i * 66L);
      assertTrue(v != Verdict.CLOSE, "send " + i);
      refused += v == Verdict.REFUSE ? 1 : 0;
    }
    assertTrue(refused > 200, "over the rate is refused: " + refused);
  }

  @Test
  void refusalsAreCountedPerSecond() {
    Limited l = new Limited(4);
    spend(l, 4 * SendLimiter.BURST_SECONDS, T0);
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    long next = T0 + 1000;
    spend(l, 4, next);
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.REFUSE, l.tryAcquire(next), "a new second: the refusal count started again");
    }
    assertEquals(Verdict.CLOSE, l.tryAcquire(next));
  }

  @Test
  void theConnectionsOfOneUserShareOneBudget() {
    TokenBuckets budget = new TokenBuckets(5, SendLimiter.BURST_SECONDS);
    SendLimiter a = new SendLimiter(5);
    SendLimiter b = new SendLimiter(5);
    for (int i = 0; i < 25; i++) {
      assertEquals(Verdict.OK, a.judge(budget.take("alice", T0), T0), "a " + i);
      assertEquals(Verdict.OK, b.judge(budget.take("alice", T0), T0), "b " + i);
    }
    assertEquals(Verdict.REFUSE, b.judge(budget.take("alice", T0), T0), "the user's 50 are spent, over two sockets");
    assertEquals(Verdict.REFUSE, a.judge(budget.take("alice", T0), T0));
    assertEquals(Verdict.OK, a.judge(budget.take("bob", T0), T0), "another user has a budget of their own");
  }
}
