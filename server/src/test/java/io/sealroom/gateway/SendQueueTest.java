package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.messages.Ack;
import io.sealroom.messages.SendOutcome;
import io.sealroom.messages.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's {@link SendQueue} with a fake socket, budget and message service: a send starts
 * only once the one before it has its place, answers carry the send's ref and cid, refusals let
 * the next send go on, reading pauses at the in-flight cap, and a long pipeline is started from
 * a loop. Every step runs on one event-loop context, as on a connection.
 */
class SendQueueTest {
  private static final int RATE = 5;
  private static Vertx vertx;

  private ContextInternal loop;
  private FakeSocket socket;
  /** The budget's answers, one per send in order; a send with none left gets a token at once. */
  private final Queue<Future<Boolean>> budgetAnswers = new ArrayDeque<>();
  /** Each send handed to the message service, in order. */
  private final List<Started> started = new ArrayList<>();
  /** Whether a started send has its place at once (true) or waits for the test. */
  private boolean placedAtOnce;
  private SendQueue queue;

  /** A send the queue handed to the message service, and the promises the test answers it with. */
  private record Started(SendRequest req, Promise<Void> placed, Promise<Ack> acked) {
  }

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newQueue() {
    loop = ((VertxInternal) vertx).createEventLoopContext();
    socket = new FakeSocket(loop);
    queue = new SendQueue(socket, loop::promise, this::takeBudget, this::send, new SendLimiter(RATE),
        new GatewayMetrics(null, null));
  }

  @Test
  void aSendStartsOnlyOnceTheOneBeforeItHasItsPlace() {
    onLoop(() -> {
      queue.offer(req("a"), 1);
      queue.offer(req("b"), 2);
      queue.offer(req("c"), 3);
    });
    assertEquals(List.of("a"), startedCids());
    onLoop(() -> started.get(0).acked().complete(ack("a", 10)));
    assertEquals(List.of("a"), startedCids(), "an ack without a place lets nothing go on");
    onLoop(() -> started.get(0).placed().complete());
    assertEquals(List.of("a", "b"), startedCids());
    onLoop(() -> started.get(1).placed().complete());
    assertEquals(List.of("a", "b", "c"), startedCids());
  }

  @Test
  void sendsThatGetTheirPlaceAtOnceAreStartedAtOnceAndAnsweredAsTheyComplete() {
    placedAtOnce = true;
    onLoop(() -> {
      for (int i = 0; i < 3; i++) {
        queue.offer(req("c" + i), "r" + i);
      }
    });
    assertEquals(List.of("c0", "c1", "c2"), startedCids());
    onLoop(() -> {
      started.get(2).acked().complete(ack("c2", 7));
      started.get(0).acked().complete(ack("c0", 5));
    });
    assertEquals(List.of("ack r2 7", "ack r0 5"), socket.summaries(), "acks are written as the sends complete");
  }

  @Test
  void aSendWaitsForTheBudgetOfTheSendBeforeItEvenWhenItsOwnAnswersFirst() {
    placedAtOnce = true;
    Promise<Boolean> slowBudget = Promise.promise();
    budgetAnswers.add(slowBudget.future());
    budgetAnswers.add(Future.succeededFuture(true));
    onLoop(() -> {
      queue.offer(req("first"), null);
      queue.offer(req("second"), null);
    });
    assertEquals(List.of(), startedCids());
    // the budget of a cluster answers on another thread: the queue goes on on its loop
    slowBudget.complete(true);
    waitFor(() -> startedCids().size() == 2);
    assertEquals(List.of("first", "second"), startedCids());
  }

  @Test
  void errorsAreWrittenWithTheSendsRefAndCidAndUnexpectedFailuresBecomeUnavailable() {
    placedAtOnce = true;
    onLoop(() -> {
      queue.offer(req("x"), "rx");
      queue.offer(req("y"), "ry");
      started.get(0).acked().fail(new ApiException(ErrorCode.NOT_MEMBER, "you are not a member of this room"));
      started.get(1).acked().fail(new IllegalStateException("the store broke"));
    });
    assertEquals(List.of("error rx x not_member", "error ry y unavailable"), socket.summaries());
  }

  @Test
  void aSendOverTheBudgetIsRefusedAndTheNextOneStillGoesOn() {
    placedAtOnce = true;
    budgetAnswers.add(Future.succeededFuture(false));
    onLoop(() -> {
      queue.offer(req("over"), "r1");
      queue.offer(req("next"), "r2");
    });
    assertEquals(List.of("error r1 over rate_limited"), socket.summaries());
    assertEquals(List.of("next"), startedCids(), "a refused send never reaches the message service");
    assertFalse(socket.closedForRate);
  }

  @Test
  void asManyRefusalsInASecondAsTheRateCloseTheConnection() {
    placedAtOnce = true;
    for (int i = 0; i < RATE; i++) {
      budgetAnswers.add(Future.succeededFuture(false));
    }
    onLoop(() -> {
      for (int i = 0; i < RATE; i++) {
        queue.offer(req("c" + i), null);
      }
    });
    assertEquals(RATE - 1, socket.frames.size(), "an error frame for each refusal before the last");
    assertTrue(socket.closedForRate);
  }

  @Test
  void aBudgetThatCannotBeCheckedIsAnsweredUnavailableAndTheNextOneStillGoesOn() {
    placedAtOnce = true;
    budgetAnswers.add(Future.failedFuture(new IllegalStateException("cluster map unreachable")));
    onLoop(() -> {
      queue.offer(req("a"), "ra");
      queue.offer(req("b"), "rb");
    });
    assertEquals(List.of("error ra a unavailable"), socket.summaries());
    assertEquals(List.of("b"), startedCids());
  }

  @Test
  void readingPausesAtTheInFlightCapAndResumesWhenOneIsAnswered() {
    placedAtOnce = true;
    onLoop(() -> {
      for (int i = 0; i < SendQueue.MAX_IN_FLIGHT - 1; i++) {
        queue.offer(req("c" + i), null);
      }
    });
    assertEquals(0, socket.pauses);
    onLoop(() -> queue.offer(req("last"), null));
    assertEquals(1, socket.pauses, "paused at the cap, sends placed or not");
    onLoop(() -> started.get(3).acked().complete(ack("c3", 4)));
    assertEquals(1, socket.resumes);
    onLoop(() -> started.get(4).acked().complete(ack("c4", 5)));
    assertEquals(1, socket.resumes, "resumed once, when it left the cap");
  }

  @Test
  void sendsWaitingWhenTheConnectionClosesAreNeverStarted() {
    onLoop(() -> {
      queue.offer(req("a"), null);
      queue.offer(req("b"), null);
      socket.open = false;
      started.get(0).placed().complete();
    });
    assertEquals(List.of("a"), startedCids());
    assertEquals(List.of(), socket.summaries());
  }

  @Test
  void placesAndAnswersCompletedOnOtherThreadsAreHeardOnTheConnectionsLoop() {
    onLoop(() -> {
      queue.offer(req("a"), "ra");
      queue.offer(req("b"), "rb");
    });
    // as a store's reply thread would
    started.get(0).placed().complete();
    waitFor(() -> startedCids().size() == 2);
    started.get(0).acked().complete(ack("a", 1));
    started.get(1).acked().fail(new ApiException(ErrorCode.STALE_KEY, "stale"));
    waitFor(() -> socket.frames.size() == 2);
    assertEquals(List.of("ack ra 1", "error rb b stale_key"), socket.summaries());
    assertTrue(socket.writtenOnLoop, "every frame was written on the connection's loop");
  }

  @Test
  void aLongPipelineIsStartedFromALoopWithoutOverflowingTheStack() {
    int sends = 100_000;
    onLoop(() -> {
      queue.offer(req("first"), null);
      for (int i = 0; i < sends; i++) {
        queue.offer(req("p" + i), null);
      }
      placedAtOnce = true;
      // the first send's checks end: every send queued behind it starts in this one call
      started.get(0).placed().complete();
    });
    List<String> cids = startedCids();
    assertEquals(sends + 1, cids.size());
    for (int i = 0; i < sends; i++) {
      assertEquals("p" + i, cids.get(i + 1));
    }
  }

  // ---- fakes and helpers

  private Future<Boolean> takeBudget() {
    Future<Boolean> next = budgetAnswers.poll();
    return next != null ? next : Future.succeededFuture(true);
  }

  private SendOutcome send(SendRequest req, long arrivedNanos) {
    Started s = new Started(req, Promise.promise(), Promise.promise());
    synchronized (started) {
      started.add(s);
    }
    if (placedAtOnce) {
      s.placed().complete();
    }
    return new SendOutcome(s.placed().future(), s.acked().future());
  }

  private List<String> startedCids() {
    synchronized (started) {
      return started.stream().map(s -> s.req().cid()).toList();
    }
  }

  private static SendRequest req(String cid) {
    return new SendRequest("room-1", cid, "text " + cid, null);
  }

  private static Ack ack(String cid, long seq) {
    return new Ack(cid, "id-" + cid, seq, 1_700_000_000_000L);
  }

  /** Runs the step on the connection's loop and waits for it; an assertion that fails there fails the test. */
  private void onLoop(Runnable step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        step.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private void waitFor(java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("waited 10 s; started " + startedCids() + ", written " + socket.summaries());
      }
      onLoop(() -> { }); // whatever the loop had queued has run
    }
  }

  /** The connection side: frames written, pauses and resumes, and whether each write was on the loop. */
  private static final class FakeSocket implements SendQueue.Socket {
    final ContextInternal loop;
    final List<JsonObject> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean open = true;
    volatile boolean closedForRate;
    volatile boolean writtenOnLoop = true;
    volatile int pauses;
    volatile int resumes;

    FakeSocket(ContextInternal loop) {
      this.loop = loop;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void pauseReading() {
      pauses++;
    }

    @Override
    public void resumeReading() {
      resumes++;
    }

    @Override
    public void write(Buffer frame) {
      writtenOnLoop &= loop.nettyEventLoop().inEventLoop();
      frames.add(new JsonObject(frame));
    }

    @Override
    public void closeForSendRate() {
      closedForRate = true;
    }

    /** Each frame as "ack REF SEQ" or "error REF CID CODE". */
    List<String> summaries() {
      return frames.stream().map(f -> "ack".equals(f.getString("op"))
          ? "ack " + f.getValue("ref") + " " + f.getLong("seq")
          : f.getString("op") + " " + f.getValue("ref") + " " + f.getString("cid") + " " + f.getString("code")).toList();
    }
  }
}
