package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.gateway.SendLimiter.Verdict;
import org.junit.jupiter.api.Test;

/** The per-connection send limiter: a token bucket of ten seconds' worth, refusals, then close at twice the rate. */
class SendLimiterTest {
  private static final long T0 = 1_700_000_000_000L;

  private static void spend(SendLimiter l, int n, long at) {
    for (int i = 0; i < n; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(at), "burst " + i);
    }
  }

  @Test
  void rateZeroIsUnlimited() {
    SendLimiter l = new SendLimiter(0);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0));
    }
  }

  @Test
  void aBurstOfTenSecondsWorthIsAllowedThenRefusedThenClosed() {
    SendLimiter l = new SendLimiter(5);
    spend(l, 5 * SendLimiter.BURST_SECONDS, T0);
    for (int i = 0; i < 4; i++) {
      assertEquals(Verdict.REFUSE, l.tryAcquire(T0), "refusal " + i);
    }
    assertEquals(Verdict.CLOSE, l.tryAcquire(T0), "as many refusals in a second as the rate");
  }

  @Test
  void atARateOfOneTheFirstRefusalIsStillAnError() {
    SendLimiter l = new SendLimiter(1);
    spend(l, SendLimiter.BURST_SECONDS, T0);
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    assertEquals(Verdict.CLOSE, l.tryAcquire(T0));
  }

  @Test
  void tokensRefillWithTime() {
    SendLimiter l = new SendLimiter(5);
    spend(l, 5 * SendLimiter.BURST_SECONDS, T0);
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 100));
    assertEquals(Verdict.OK, l.tryAcquire(T0 + 200), "one token after a fifth of a second");
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 200));
  }

  @Test
  void theBurstIsCappedAtTenSecondsWorth() {
    SendLimiter l = new SendLimiter(5);
    assertEquals(Verdict.OK, l.tryAcquire(T0));
    long later = T0 + 3_600_000;
    spend(l, 5 * SendLimiter.BURST_SECONDS, later);
    assertEquals(Verdict.REFUSE, l.tryAcquire(later));
  }

  @Test
  void sendingSteadilyAtTheRateIsNeverRefused() {
    SendLimiter l = new SendLimiter(10);
    for (int i = 0; i < 3000; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0 + i * 100L), "send " + i);
    }
  }

  @Test
  void sendingSteadilyAtTwiceTheRateIsClosedOnceTheBurstIsSpent() {
    SendLimiter l = new SendLimiter(10);
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
    SendLimiter l = new SendLimiter(10);
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
    SendLimiter l = new SendLimiter(4);
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
}
