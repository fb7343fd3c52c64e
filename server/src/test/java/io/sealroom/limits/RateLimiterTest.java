package io.sealroom.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed-window login limiter, driven by a fake clock. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final RateLimiter limiter = new RateLimiter(3, 60_000, now::get);

  @Test
  void allowsTheLimitThenRefuses() {
    assertTrue(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice"));
    assertFalse(limiter.tryAcquire("alice"));
    assertFalse(limiter.tryAcquire("alice"));
  }

  @Test
  void recordedEventsCountUntilForgiven() {
    limiter.record("bob");
    limiter.record("bob");
    limiter.record("bob");
    assertTrue(limiter.isOver("bob"));
    limiter.forgive("bob");
    assertFalse(limiter.isOver("bob"), "a forgiven attempt no longer counts");
    limiter.forgive("nobody"); // nothing recorded: no effect, no failure
    assertFalse(limiter.isOver("nobody"));
  }

  @Test
  void keysAreCountedSeparately() {
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("alice"));
    }
    assertFalse(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("bob"));
    assertTrue(limiter.tryAcquire("127.0.0.1"));
  }

  @Test
  void aNewWindowStartsWhenTheOldOneHasPassed() {
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("alice"));
    }
    now.addAndGet(59_999);
    assertFalse(limiter.tryAcquire("alice"), "still the same window");
    now.addAndGet(1);
    assertTrue(limiter.tryAcquire("alice"), "exactly one window later");
    assertTrue(limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice"));
    assertFalse(limiter.tryAcquire("alice"));
  }

  @Test
  void refusedAttemptsDoNotExtendTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("alice"));
    }
    for (int i = 0; i < 10; i++) {
      now.addAndGet(5_000);
      assertFalse(limiter.tryAcquire("alice"));
    }
    now.addAndGet(10_000);
    assertTrue(limiter.tryAcquire("alice"), "60 s after the window began");
  }

  @Test
  void staleWindowsAreForgottenAndStartAfresh() {
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire("user" + i);
    }
    now.addAndGet(120_000);
    for (int i = 0; i < 1000; i++) {
      assertTrue(limiter.tryAcquire("user" + i));
    }
  }

  @Test
  void concurrentCallersNeverExceedTheLimit() throws Exception {
    RateLimiter shared = new RateLimiter(50, 60_000, now::get);
    AtomicInteger allowed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            if (shared.tryAcquire("hot")) {
              allowed.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(50, allowed.get());
  }
}
