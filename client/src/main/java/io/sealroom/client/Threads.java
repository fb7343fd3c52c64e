package io.sealroom.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The client's two threads and the blocking wait the public API is built on. */
final class Threads {
  private static final Logger LOG = Logger.getLogger(Threads.class.getName());
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private Threads() {
  }

  static ScheduledExecutorService engine() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, named("sealroom-client-" + CLIENTS.incrementAndGet()));
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  static ExecutorService delivery() {
    return Executors.newSingleThreadExecutor(named("sealroom-events-" + CLIENTS.get()));
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      // a bot keeps its own main thread alive; the client never holds a JVM open
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.WARNING, "uncaught in " + th.getName(), e));
      return t;
    };
  }

  /** Waits for {@code f}; a failure comes out as the SealroomException it carried (or one wrapping it). */
  static <T> T await(CompletableFuture<T> f, long timeoutMs) {
    try {
      return f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof SealroomException) {
        throw (SealroomException) c;
      }
      throw new SealroomException("failed", String.valueOf(c), c);
    } catch (TimeoutException e) {
      throw new SealroomException("timeout", "no answer within " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SealroomException("interrupted", "interrupted while waiting", e);
    }
  }

  static void shutdown(ExecutorService... executors) {
    for (ExecutorService e : executors) {
      e.shutdown();
    }
  }

  /** Runs engine work so that one failure (a refused REST call) cannot stop the engine. */
  static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "client task failed: {0}", e.toString());
    }
  }
}
