package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Throwable failureOf(Future<?> f) {
    try {
      Object value = f.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
