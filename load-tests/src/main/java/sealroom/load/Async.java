package sealroom.load;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Small helpers for CompletableFuture work with bounded concurrency. */
final class Async {
  private Async() { }

  /** Runs task(0..n-1) with at most conc in flight; fails on the first failure. */
  static <T> CompletableFuture<List<T>> bounded(int n, int conc, IntFunction<CompletableFuture<T>> task) {
    CompletableFuture<List<T>> p = new CompletableFuture<>();
    if (n == 0) return CompletableFuture.completedFuture(new ArrayList<>());
    Object[] out = new Object[n];
    AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n || failed.get()) return;
      CompletableFuture<T> f;
      try { f = task.apply(i); } catch (Throwable t) { f = CompletableFuture.failedFuture(t); }
      f.whenComplete((v, e) -> {
        if (e != null) {
          failed.set(true);
          p.completeExceptionally(e);
          return;
        }
        out[i] = v;
        if (done.incrementAndGet() == n) {
          @SuppressWarnings("unchecked") List<T> l = (List<T>) Arrays.asList(out);
          p.complete(l);
        } else {
          worker[0].run();
        }
      });
    };
    for (int c = 0; c < Math.min(conc, n); c++) worker[0].run();
    return p;
  }

  static <T> CompletableFuture<T> of(Future<T> f) { return f.toCompletionStage().toCompletableFuture(); }
}
