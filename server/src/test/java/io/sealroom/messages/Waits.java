package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.testing.Futures;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Blocking waits on futures and conditions for the message unit tests, each bounded by {@link #WAIT_S}. Stateless. */
final class Waits {
  static final long WAIT_S = 30;

  private Waits() {
  }

  static void assertCode(ErrorCode expected, Throwable t) {
    assertEquals(expected, assertInstanceOf(ApiException.class, t).code());
  }

  static void assertUnavailable(Throwable t) {
    assertCode(ErrorCode.UNAVAILABLE, t);
  }

  static <T> T await(Future<T> f) {
    return Futures.await(f, WAIT_S);
  }

  static Throwable failureOf(Future<?> f) {
    return Futures.failureOf(f, WAIT_S);
  }

  /**
   * Every future answered in time, acknowledged or refused unavailable (the node at capacity); a
   * stall names how many were answered.
   */
  static void awaitAnswers(List<? extends Future<?>> futures, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (futures.stream().anyMatch(f -> !f.isComplete())) {
      if (System.nanoTime() > end) {
        fail("stalled: " + futures.stream().filter(Future::isComplete).count() + " of " + futures.size() + " " + what
            + " answered");
      }
      sleep(10);
    }
    futures.stream().filter(Future::failed).forEach(f -> assertUnavailable(f.cause()));
  }

  static void waitUntil(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("waited " + WAIT_S + " s for " + what);
      }
      sleep(5);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
