package io.sealroom.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A deadline on an operation: its outcome, or an error once the time has passed, whichever comes
 * first, on the caller's context. The operation itself is not cancelled; its late outcome is
 * dropped. A timer on the caller's event loop, never a blocked thread; nothing is scheduled for
 * an outcome already known. Stateless.
 */
public final class Timeouts {
  private Timeouts() {
  }

  /**
   * @param ms time left (0 or less: the error at once, unless the outcome is known)
   * @param late the error at the deadline
   * @param onLate run when the deadline, not the operation, answered (may be null)
   */
  public static <T> Future<T> within(Vertx vertx, Future<T> op, long ms, Supplier<? extends Throwable> late,
      Runnable onLate) {
    if (op.isComplete()) {
      return op;
    }
    if (ms <= 0) {
      if (onLate != null) {
        onLate.run();
      }
      return Future.failedFuture(late.get());
    }
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    Promise<T> answer = ctx.promise();
    io.netty.util.concurrent.ScheduledFuture<?> timer = ctx.nettyEventLoop().schedule(() -> {
      if (answer.tryFail(late.get()) && onLate != null) {
        onLate.run();
      }
    }, ms, TimeUnit.MILLISECONDS);
    op.onComplete(ar -> {
      timer.cancel(false);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future();
  }
}
