package io.sealroom.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.store.StoreDeadline;
import io.sealroom.store.TimedStores;
import io.sealroom.users.User;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * store.opTimeoutMs on the embedded engine: a write stuck in the engine (here a write that holds
 * the writer thread, as a disk that stops answering does) makes the operations behind it answer
 * {@code unavailable} on the caller's context once the deadline has passed, and a read is
 * answered as usual. The write answered that way is not cancelled: once the engine moves again
 * it lands, which is why sends are retried with their cid.
 */
class StalledStoreDeadlineTest {
  private static final long DEADLINE_MS = 300;
  private final Vertx vertx = Vertx.vertx();
  private RocksEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aStalledWriteIsAnsweredUnavailableAtTheDeadlineOnTheCallersContextAndLandsLater() throws Exception {
    engine = RocksEngine.open(vertx, "mem:", 8);
    TimedStores stores = new TimedStores(new RocksStores(engine), new StoreDeadline(vertx, DEADLINE_MS));
    CountDownLatch stall = new CountDownLatch(1);
    engine.write(tx -> {
      try {
        stall.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    Context ctx = vertx.getOrCreateContext();
    CompletableFuture<Object[]> outcome = new CompletableFuture<>();
    User user = new User("u1", "stalled", "hash", List.of(), 1L);
    ctx.runOnContext(v -> {
      long start = System.nanoTime();
      stores.users().insert(user).onComplete(ar -> outcome.complete(new Object[] {
          ar.cause(), (System.nanoTime() - start) / 1_000_000, Vertx.currentContext()}));
    });
    Object[] o = outcome.get(10, TimeUnit.SECONDS);
    ApiException e = assertInstanceOf(ApiException.class, o[0]);
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    long took = (long) o[1];
    assertTrue(took >= DEADLINE_MS - 20 && took < DEADLINE_MS + 1000, "answered after " + took + " ms");
    assertSame(ctx, o[2], "answered on the caller's context");

    assertEquals(null, stores.users().findByUsername("stalled").await(5, TimeUnit.SECONDS), "reads go on");
    stall.countDown();
    User landed = null;
    for (int i = 0; i < 100 && landed == null; i++) {
      landed = stores.users().findByUsername("stalled").await(5, TimeUnit.SECONDS);
      Thread.sleep(20);
    }
    assertEquals("u1", landed == null ? null : landed.id(), "the write answered unavailable still landed");
  }

  @Test
  void anOperationWithinTheDeadlineIsAnsweredAsTheEngineAnswers() throws Exception {
    engine = RocksEngine.open(vertx, "mem:", 8);
    TimedStores stores = new TimedStores(new RocksStores(engine), new StoreDeadline(vertx, DEADLINE_MS));
    stores.users().insert(new User("u2", "quick", "hash", List.of(), 1L)).await(5, TimeUnit.SECONDS);
    Throwable taken = null;
    try {
      stores.users().insert(new User("u3", "quick", "hash", List.of(), 1L)).await(5, TimeUnit.SECONDS);
    } catch (Exception t) {
      taken = t;
    }
    ApiException e = assertInstanceOf(ApiException.class, taken);
    assertEquals(ErrorCode.USERNAME_TAKEN, e.code(), "domain errors pass through");
    stores.ping().await(5, TimeUnit.SECONDS);
  }
}
