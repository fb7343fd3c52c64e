package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.gateway.SendLimiter.Verdict;
import org.junit.jupiter.api.Test;

/** The per-connection send limiter: token bucket of one second's worth, refusals, then close. */
class SendLimiterTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void rateZeroIsUnlimited() {
    SendLimiter l = new SendLimiter(0);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0));
    }
  }

  @Test
  void aBurstOfTheRateIsAllowedThenRefusedThenClosed() {
    SendLimiter l = new SendLimiter(5);
    for (int i = 0; i < 5; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0), "burst " + i);
    }
    int refusals = 0;
    Verdict v;
    while ((v = l.tryAcquire(T0)) == Verdict.REFUSE) {
      refusals++;
    }
    assertEquals(Verdict.CLOSE, v);
    assertTrue(refusals >= 3 && refusals <= 5, "refused a few times (about the rate) before closing: " + refusals);
  }

  @Test
  void tokensRefillWithTime() {
    SendLimiter l = new SendLimiter(5);
    for (int i = 0; i < 5; i++) {
      l.tryAcquire(T0);
    }
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 100));
    assertEquals(Verdict.OK, l.tryAcquire(T0 + 200), "one token after a fifth of a second");
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0 + 200));
  }

  @Test
  void theBurstIsCappedAtOneSecondsWorth() {
    SendLimiter l = new SendLimiter(5);
    assertEquals(Verdict.OK, l.tryAcquire(T0));
    long later = T0 + 60_000;
    for (int i = 0; i < 5; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(later));
    }
    assertEquals(Verdict.REFUSE, l.tryAcquire(later));
  }

  @Test
  void sendingSteadilyAtTheRateIsNeverRefused() {
    SendLimiter l = new SendLimiter(10);
    for (int i = 0; i < 300; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0 + i * 100L), "send " + i);
    }
  }

  /** SendLimiter's contract: "a client that keeps sending at twice the rate is disconnected". */
  @Test
  void sendingSteadilyAtTwiceTheRateIsClosed() {
    SendLimiter l = new SendLimiter(10);
    Verdict last = Verdict.OK;
    int sends = 0;
    while (last != Verdict.CLOSE && sends < 200) {
      last = l.tryAcquire(T0 + sends * 50L);
      sends++;
    }
    assertEquals(Verdict.CLOSE, last, "closed within 10 s of sending at twice the rate");
  }

  @Test
  void sendingSteadilyAtOneAndAHalfTimesTheRateIsRefusedButNotClosed() {
    SendLimiter l = new SendLimiter(10);
    int refused = 0;
    for (int i = 0; i < 150; i++) {
      Verdict v = l.tryAcquire(T0 + i * 66L);
      assertTrue(v != Verdict.CLOSE, "send " + i);
      refused += v == Verdict.REFUSE ? 1 : 0;
    }
    assertTrue(refused > 20, "over the rate is refused: " + refused);
  }

  @Test
  void refusalsAreCountedPerSecond() {
    SendLimiter l = new SendLimiter(4);
    for (int i = 0; i < 4; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(T0));
    }
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    assertEquals(Verdict.REFUSE, l.tryAcquire(T0));
    long next = T0 + 1000;
    for (int i = 0; i < 4; i++) {
      assertEquals(Verdict.OK, l.tryAcquire(next));
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.REFUSE, l.tryAcquire(next), "a new second: the refusal count started again");
    }
  }
}
