package io.sealroom.store.process;

import java.util.concurrent.Semaphore;

/** A commit for tests that blocks until the test lets it end (a permit per commit) and tells when one has started. */
final class GatedCommit implements Runnable {
  final Semaphore started = new Semaphore(0);
  final Semaphore release = new Semaphore(0);
  volatile RuntimeException failWith;

  @Override
  public void run() {
    started.release();
    release.acquireUninterruptibly();
    if (failWith != null) {
      throw failWith;
    }
  }
}
