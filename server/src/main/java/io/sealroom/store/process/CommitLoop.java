package io.sealroom.store.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Group commit on a thread of its own, for the store process (no Vert.x there). A caller of
 * {@link #afterNextCommit} is called back once a commit that started after its call has ended;
 * one commit calls back every caller that registered before it started. Commits run back to back
 * while callers wait, and the thread sleeps otherwise, so a lone write waits for one commit and a
 * crowd of writes shares a few. Callbacks run on the commit thread and must only hand off.
 * Thread-safe.
 */
final class CommitLoop implements AutoCloseable {
  /** Told the outcome of the commit it waited for: null when it succeeded. */
  interface Callback {
    void committed(Throwable failure);
  }

  private final Runnable commit;
  private final Object lock = new Object();
  private final Thread thread;
  private List<Callback> waiting = new ArrayList<>();
  private boolean closing;
  private long commitsDone;

  CommitLoop(Runnable commit) {
    this.commit = commit;
    this.thread = new Thread(this::run, "sealroom-store-commit");
    thread.setDaemon(true);
    thread.start();
  }

  /** Calls back after the next commit that starts from now on; after {@link #close} at once, with a failure. */
  void afterNextCommit(Callback callback) {
    synchronized (lock) {
      if (!closing) {
        waiting.add(callback);
        lock.notifyAll();
        return;
      }
    }
    callback.committed(new IllegalStateException("the store is shutting down"));
  }

  /** Commits run so far (tests: grouping). */
  long commitsDone() {
    synchronized (lock) {
      return commitsDone;
    }
  }

  private void run() {
    while (true) {
      List<Callback> batch;
      synchronized (lock) {
        while (waiting.isEmpty() && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            closing = true;
          }
        }
        if (waiting.isEmpty()) {
          return;
        }
        batch = waiting;
        waiting = new ArrayList<>();
      }
      Throwable failure = commitOnce();
      for (Callback c : batch) {
        c.committed(failure);
      }
    }
  }

  private Throwable commitOnce() {
    try {
      commit.run();
      return null;
    } catch (RuntimeException | Error e) {
      // nothing of the data goes into the line: the driver's client sees a closed connection
      System.err.println("store: commit failed, replies to the writes waiting for it are withheld: " + e);
      return e;
    } finally {
      synchronized (lock) {
        commitsDone++;
      }
    }
  }

  /** Lets the callers already waiting have their commit, then stops the thread. Blocking. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
