package io.sealroom.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for the embedded on-disk store. A caller of {@link #sync()} waits for the next
 * commit that starts after its call; one commit (on a worker thread) releases every caller that
 * waited for it. Thread-safe: callers may come from any event loop and are completed on their own
 * context.
 */
public final class GroupCommit implements Durability {
  private final Vertx vertx;
  private final Runnable commit;
  private final Object lock = new Object();
  private List<Waiter> waiting = new ArrayList<>();
  private boolean running;

  private record Waiter(Context context, Promise<Void> promise) {
  }

  public GroupCommit(Vertx vertx, Runnable commit) {
    this.vertx = vertx;
    this.commit = commit;
  }

  @Override
  public Future<Void> sync() {
    Promise<Void> promise = Promise.promise();
    boolean start;
    synchronized (lock) {
      waiting.add(new Waiter(vertx.getOrCreateContext(), promise));
      start = !running;
      running = true;
    }
    if (start) {
      runNext();
    }
    return promise.future();
  }

  private void runNext() {
    List<Waiter> batch;
    synchronized (lock) {
      if (waiting.isEmpty()) {
        running = false;
        return;
      }
      batch = waiting;
      waiting = new ArrayList<>();
    }
    vertx.executeBlocking(() -> {
      commit.run();
      return null;
    }, false).onComplete(ar -> {
      for (Waiter w : batch) {
        w.context().runOnContext(v -> {
          if (ar.succeeded()) {
            w.promise().complete();
          } else {
            w.promise().fail(ar.cause());
          }
        });
      }
      runNext();
    });
  }
}
