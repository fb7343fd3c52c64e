package io.sealroom.store;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code store.opTimeoutMs}: the longest a store operation is waited for. An operation that has
 * not completed by then is answered {@code unavailable} on the caller's context, whatever the
 * engine or its driver would still do; its late result is dropped. The operation itself is not
 * cancelled: a write answered this way may still land, which is why a refused send is retried
 * with its cid (the store keeps one message per cid). A timer on the caller's event loop, never
 * a blocked thread. Thread-safe.
 */
public final class StoreDeadline {
  private static final Logger LOG = Logger.getLogger(StoreDeadline.class.getName());
  /** At most one log line per this long while operations miss the deadline. */
  private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private final Vertx vertx;
  private final long millis;
  private final AtomicLong missed = new AtomicLong();
  private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - REPORT_EVERY_NANOS);

  public StoreDeadline(Vertx vertx, long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("store.opTimeoutMs must be positive: " + millis);
    }
    this.vertx = vertx;
    this.millis = millis;
  }

  public long millis() {
    return millis;
  }

  /** The failure of an operation past the deadline. */
  public static ApiException late() {
    return new ApiException(ErrorCode.UNAVAILABLE, "the store did not answer in time, retry later");
  }

  /** The operation's outcome, or {@link #late} once the deadline has passed; on the caller's context. */
  public <T> Future<T> bound(Future<T> op) {
    return io.sealroom.common.Timeouts.within(vertx, op, millis, StoreDeadline::late, this::missed);
  }

  private void missed() {
    long n = missed.incrementAndGet();
    long now = System.nanoTime();
    long last = lastReport.get();
    if (now - last >= REPORT_EVERY_NANOS && lastReport.compareAndSet(last, now)) {
      missed.addAndGet(-n);
      LOG.warning("the store did not answer within store.opTimeoutMs (" + millis + " ms): " + n
          + " operation(s) answered unavailable since the last report");
    }
  }
}
