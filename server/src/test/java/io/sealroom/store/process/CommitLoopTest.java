package io.sealroom.store.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The store process's group commit: who waits for which commit, and how many commits a crowd costs. Plain threads. */
class CommitLoopTest {

  private static CompletableFuture<Throwable> register(CommitLoop loop) {
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    loop.afterNextCommit(done::complete);
    return done;
  }

  @Test
  void aCallerWaitsForACommitThatStartsAfterIt() throws Exception {
    GatedCommit commit = new GatedCommit();
    try (CommitLoop loop = new CommitLoop(commit)) {
      CompletableFuture<Throwable> first = register(loop);
      assertTrue(commit.started.tryAcquire(5, TimeUnit.SECONDS));
      // registered while commit 1 runs: commit 1 may have missed its write, so it waits for commit 2
      CompletableFuture<Throwable> second = register(loop);
      commit.release.release();
      assertNull(first.get(5, TimeUnit.SECONDS));
      assertTrue(commit.started.tryAcquire(5, TimeUnit.SECONDS));
      assertFalse(second.isDone(), "released by a commit that started before it registered");
      commit.release.release();
      assertNull(second.get(5, TimeUnit.SECONDS));
      assertEquals(2, loop.commitsDone());
    }
  }

  @Test
  void oneCommitReleasesEveryoneWaiting() throws Exception {
    GatedCommit commit = new GatedCommit();
    try (CommitLoop loop = new CommitLoop(commit)) {
      CompletableFuture<Throwable> opener = register(loop);
      assertTrue(commit.started.tryAcquire(5, TimeUnit.SECONDS));
      List<CompletableFuture<Throwable>> crowd = new ArrayList<>();
      CountDownLatch registered = new CountDownLatch(100);
      for (int t = 0; t < 4; t++) {
        new Thread(() -> {
          for (int i = 0; i < 25; i++) {
            CompletableFuture<Throwable> f = register(loop);
            synchronized (crowd) {
              crowd.add(f);
            }
            registered.countDown();
          }
        }).start();
      }
      assertTrue(registered.await(5, TimeUnit.SECONDS));
      commit.release.release(2); // the running commit, then one more for the crowd
      assertNull(opener.get(5, TimeUnit.SECONDS));
      for (CompletableFuture<Throwable> f : crowd) {
        assertNull(f.get(5, TimeUnit.SECONDS));
      }
      assertEquals(2, loop.commitsDone(), "101 callers, 2 commits");
    }
  }

  @Test
  void aFailedCommitIsReportedToItsCallers() throws Exception {
    GatedCommit commit = new GatedCommit();
    commit.failWith = new IllegalStateException("disk full");
    try (CommitLoop loop = new CommitLoop(commit)) {
      CompletableFuture<Throwable> f = register(loop);
      commit.release.release();
      assertEquals("disk full", f.get(5, TimeUnit.SECONDS).getMessage());
    }
  }

  @Test
  void closeCommitsForThoseWaitingAndRefusesLaterCallers() throws Exception {
    AtomicBoolean committed = new AtomicBoolean();
    CommitLoop loop = new CommitLoop(() -> committed.set(true));
    CompletableFuture<Throwable> before = register(loop);
    loop.close();
    assertNull(before.get(5, TimeUnit.SECONDS));
    assertTrue(committed.get());
    assertNotNull(register(loop).get(5, TimeUnit.SECONDS), "no commit after close: the reply must not go");
  }
}
