package io.sealroom.messages;

import static io.sealroom.messages.Waits.WAIT_S;
import static io.sealroom.messages.Waits.assertCode;
import static io.sealroom.messages.Waits.assertUnavailable;
import static io.sealroom.messages.Waits.await;
import static io.sealroom.messages.Waits.awaitAnswers;
import static io.sealroom.messages.Waits.failureOf;
import static io.sealroom.messages.Waits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Sequencer} over an in-memory store ({@link MemoryMessageStore}): seqs per room in
 * the order sends were queued, batches, the store's verdicts (a taken seq, a retried cid, an
 * insert that fails part-way), deadlines, and long backlogs answered synchronously.
 */
class SequencerTest {
  private static final String ROOM = "room-1";
  private static final String OTHER_ROOM = "room-2";
  private static final long OP_TIMEOUT_MS = 10_000;
  private static Vertx vertx;

  private MemoryMessageStore store;
  private final List<Message> published = Collections.synchronizedList(new ArrayList<>());
  private Sequencer sequencer;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(WAIT_S, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newSequencer() {
    store = new MemoryMessageStore().room(ROOM).room(OTHER_ROOM);
    sequencer = new Sequencer(vertx, store, published::add, OP_TIMEOUT_MS);
  }

  @Test
  void seqsAreGapFreePerRoomAndFollowEachSendersOrderUnderConcurrentSubmissions() throws Exception {
    int senders = 4;
    int perSender = 1000;
    List<List<Future<Ack>>> sent = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      List<Future<Ack>> mine = Collections.synchronizedList(new ArrayList<>());
      sent.add(mine);
      String uid = "sender-" + s;
      threads.add(new Thread(() -> {
        awaitLatch(go);
        for (int i = 0; i < perSender; i++) {
          mine.add(sequencer.store(message(i % 2 == 0 ? ROOM : OTHER_ROOM, uid, "c" + i), far()));
        }
      }));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
    }
    for (List<Future<Ack>> mine : sent) {
      long lastInRoom = 0;
      long lastInOther = 0;
      for (int i = 0; i < perSender; i++) {
        long seq = await(mine.get(i)).seq();
        if (i % 2 == 0) {
          assertTrue(seq > lastInRoom, "a sender's sends keep their order in " + ROOM);
          lastInRoom = seq;
        } else {
          assertTrue(seq > lastInOther, "a sender's sends keep their order in " + OTHER_ROOM);
          lastInOther = seq;
        }
      }
    }
    long perRoom = senders * perSender / 2;
    assertEquals(LongStream.rangeClosed(1, perRoom).boxed().toList(), seqsOf(store.messagesOf(ROOM)));
    assertEquals(LongStream.rangeClosed(1, perRoom).boxed().toList(), seqsOf(store.messagesOf(OTHER_ROOM)));
    assertEquals(senders * perSender, published.size(), "each stored message is published once");
  }

  @Test
  void sendsQueuedDuringAnInsertGoTogetherInTheNextBatchInTheirOrder() {
    Future<Ack> first = occupy();
    List<Future<Ack>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(send("u" + i, "c"));
    }
    store.release();
    assertEquals(1, await(first).seq());
    for (int i = 0; i < 10; i++) {
      assertEquals(i + 2L, await(queued.get(i)).seq(), "send " + i);
    }
    assertEquals(List.of(1, 10), store.batchSizes(), "one round trip for the ten sends queued behind the first");
  }

  @Test
  void aRetriedCidIsAnsweredWithTheOriginalAckAndTheSendsBehindItGetTheSeqsTheyWouldHaveHad() {
    Ack original = await(send("alice", "hello"));
    Future<Ack> busy = occupy();
    Future<Ack> retry = send("alice", "hello");
    Future<Ack> next = send("alice", "next");
    store.release();
    assertEquals(2, await(busy).seq());
    assertEquals(original, await(retry), "the retry gets the first attempt's ack: same id, seq and ts");
    assertEquals(3, await(next).seq(), "no gap where the retry was");
    assertEquals(List.of(1L, 2L, 3L), seqsOf(store.messagesOf(ROOM)));
    assertEquals(1, published.stream().filter(m -> m.id().equals(original.id())).count(), "a retry is not published again");
  }

  @Test
  void aCidAlreadyUsedInAnotherRoomIsRefused() {
    await(send("alice", "hello"));
    assertCode(ErrorCode.INVALID_REQUEST, failureOf(sequencer.store(message(OTHER_ROOM, "alice", "hello"), far())));
    assertTrue(store.messagesOf(OTHER_ROOM).isEmpty());
  }

  @Test
  void aSeqTakenByAnotherNodeIsRetriedWithTheNextFreeSeqKeepingTheOrderOfTheSendsBehindIt() {
    Future<Ack> busy = occupy();
    store.takeSeqsAsAnotherNode(3);
    Future<Ack> a = send("alice", "a");
    Future<Ack> b = send("bob", "b");
    store.release();
    assertEquals(1, await(busy).seq());
    // seqs 2, 3 and 4 went to the other node, one per attempt
    assertEquals(5, await(a).seq());
    assertEquals(6, await(b).seq());
    assertEquals(LongStream.rangeClosed(1, 6).boxed().toList(), seqsOf(store.messagesOf(ROOM)));
  }

  @Test
  void aMessageMayLoseItsSeqMaxAttemptsTimesAndStillBeStored() {
    store.takeSeqsAsAnotherNode(Sequencer.MAX_ATTEMPTS);
    assertEquals(Sequencer.MAX_ATTEMPTS + 1L, await(send("alice", "a")).seq());
  }

  @Test
  void aMessageThatLosesItsSeqOnceMoreThanMaxAttemptsIsAnsweredUnavailableAndNotStored() {
    store.takeSeqsAsAnotherNode(Sequencer.MAX_ATTEMPTS + 1);
    assertUnavailable(failureOf(send("alice", "a")));
    assertTrue(store.messagesOf(ROOM).stream().noneMatch(m -> m.uid().equals("alice")));
  }

  @Test
  void aBatchThatFailsPartWayAcksWhatWasStoredAndRefusesTheRestForTheirRetry() {
    Future<Ack> busy = occupy();
    store.failNextInsert(1, new MessageStore.FailedAt(1, new IllegalStateException("disk full")));
    Future<Ack> a = send("alice", "a");
    Future<Ack> b = send("bob", "b");
    Future<Ack> c = send("carol", "c");
    store.release();
    assertEquals(1, await(busy).seq());
    assertEquals(2, await(a).seq(), "stored before the failure: acknowledged");
    assertUnavailable(failureOf(b));
    assertUnavailable(failureOf(c));
    assertEquals(3, await(send("bob", "b")).seq(), "the retry takes the next seq: no gap");
    assertEquals(4, await(send("carol", "c")).seq());
  }

  @Test
  void aBatchThatFailsWithoutKnowingHowFarRefusesAllAndReadsTheHeadAgain() {
    Future<Ack> busy = occupy();
    // the first message was written, but the store cannot say so
    store.failNextInsert(1, new MessageStore.FailedAt(-1, new IllegalStateException("connection reset")));
    Future<Ack> a = send("alice", "a");
    Future<Ack> b = send("bob", "b");
    store.release();
    await(busy);
    assertUnavailable(failureOf(a));
    assertUnavailable(failureOf(b));
    int headReads = store.headReads();
    Ack retried = await(send("alice", "a"));
    assertEquals(2, retried.seq(), "the retry is answered with what was written");
    assertEquals(3, await(send("bob", "b")).seq(), "after the written message, not over it");
    assertTrue(store.headReads() > headReads, "the room's head was read again");
  }

  @Test
  void aStoreErrorThatIsNotFailedAtRefusesTheWholeBatch() {
    Future<Ack> busy = occupy();
    store.failNextInsert(0, new IllegalStateException("store down"));
    Future<Ack> a = send("alice", "a");
    Future<Ack> b = send("bob", "b");
    store.release();
    await(busy);
    assertUnavailable(failureOf(a));
    assertUnavailable(failureOf(b));
    assertEquals(2, await(send("bob", "b")).seq());
  }

  @Test
  void sendsToAnUnknownRoomFailNotFoundWithoutHoldingUpTheOthers() {
    Future<Ack> busy = occupy();
    Future<Ack> lost = sequencer.store(message("no-such-room", "alice", "a"), far());
    Future<Ack> fine = send("bob", "b");
    store.release();
    await(busy);
    assertCode(ErrorCode.NOT_FOUND, failureOf(lost));
    assertEquals(2, await(fine).seq());
  }

  @Test
  void aSendQueuedPastItsDeadlineIsAnsweredUnavailableAndNeverStored() {
    Future<Ack> busy = occupy();
    Future<Ack> late = sequencer.store(message(ROOM, "alice", "late"), System.nanoTime() - 1);
    Future<Ack> onTime = send("bob", "b");
    store.release();
    await(busy);
    assertEquals(Sequencer.LATE, failureOf(late));
    assertEquals(2, await(onTime).seq(), "the late send took no seq");
    assertTrue(published.stream().noneMatch(m -> m.cid().equals("late")));
  }

  @Test
  void anInsertThatHangsPastTheDeadlineIsAnsweredUnavailableAndTheRetryFindsTheStoredMessage() {
    Sequencer quick = new Sequencer(vertx, store, published::add, 400);
    store.holdInserts();
    Future<Ack> hung = quick.store(message(ROOM, "alice", "a"), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
    assertEquals(Sequencer.LATE, failureOf(hung), "answered by the watchdog while the insert is under way");
    store.release();
    Ack retried = await(quick.store(message(ROOM, "alice", "a"), far()));
    assertEquals(1, retried.seq(), "stored after all: the retry gets its ack, never a second copy");
    assertEquals(1, store.messagesOf(ROOM).size());
  }

  @Test
  void aHundredThousandQueuedSendsAnsweredSynchronouslyAreAllAnsweredInOrder() {
    int backlog = 100_000;
    List<Message> sends = new ArrayList<>(backlog);
    for (int i = 0; i < backlog; i++) {
      sends.add(message(ROOM, "u" + i, "c"));
    }
    Future<Ack> busy = occupy();
    List<Future<Ack>> queued = queue(sends);
    store.release();
    awaitAnswers(queued, "queued sends");
    assertEquals(1, await(busy).seq());
    // a slow machine may refuse the last of them at capacity (queued over 2 s): what was acked is gap-free, in order
    List<Long> acked = queued.stream().filter(Future::succeeded).map(f -> f.result().seq()).toList();
    assertEquals(LongStream.rangeClosed(2, acked.size() + 1).boxed().toList(), acked);
    assertEquals(LongStream.rangeClosed(1, acked.size() + 1).boxed().toList(), seqsOf(store.messagesOf(ROOM)));
    assertTrue(acked.size() >= Sequencer.MAX_BATCH, "at least the first batch behind the busy one");
  }

  @Test
  void aHundredThousandQueuedRetriesAnsweredSynchronouslyDoNotOverflowTheStack() {
    int backlog = 100_000;
    for (int i = 0; i < backlog; i++) {
      store.storeDirectly(new Message("m" + i, ROOM, i + 1, "u" + i, "name", 1, "c", "stored earlier", null));
    }
    List<Message> sends = new ArrayList<>(backlog);
    for (int i = 0; i < backlog; i++) {
      sends.add(message(ROOM, "u" + i, "c"));
    }
    Future<Ack> busy = occupy();
    List<Future<Ack>> retries = queue(sends);
    store.release();
    // each retry stops its batch at its taken cid: one store round trip per retry, each answered at once
    awaitAnswers(retries, "retries");
    int acked = 0;
    for (int i = 0; i < backlog; i++) {
      if (retries.get(i).succeeded()) {
        assertEquals("m" + i, retries.get(i).result().id());
        acked++;
      }
    }
    // the first batch's are never refused at capacity: over a thousand round trips answered in one go
    assertTrue(acked >= Sequencer.MAX_BATCH - 1, acked + " retries acknowledged");
    assertEquals(backlog + 1L, await(busy).seq());
  }

  @Test
  void theRoomDocumentsHeadIsRaisedToWhatWasStored() {
    for (int i = 0; i < 40; i++) {
      await(send("alice", "c" + i));
    }
    waitUntil(() -> store.raisedHead(ROOM) == 40, "the head raised to 40");
  }

  // ---- helpers

  /**
   * Holds inserts and sends a first message whose insert then waits: what is sent next queues
   * behind it and goes in the next batch, once the test calls {@code store.release()}.
   */
  private Future<Ack> occupy() {
    store.holdInserts();
    Future<Ack> first = send("first", "first");
    waitUntil(() -> store.heldInserts() == 1, "the first insert to be under way");
    return first;
  }

  /** Queues the messages from one event-loop context, as a gateway's loop sends, and returns once they are queued. */
  private List<Future<Ack>> queue(List<Message> messages) {
    Context caller = ((VertxInternal) vertx).createEventLoopContext();
    long deadline = far();
    CompletableFuture<List<Future<Ack>>> queued = new CompletableFuture<>();
    caller.runOnContext(v -> {
      List<Future<Ack>> acks = new ArrayList<>(messages.size());
      for (Message m : messages) {
        acks.add(sequencer.store(m, deadline));
      }
      queued.complete(acks);
    });
    return queued.join();
  }

  private Future<Ack> send(String uid, String cid) {
    return sequencer.store(message(ROOM, uid, cid), far());
  }

  static Message message(String rid, String uid, String cid) {
    return new Message(io.sealroom.common.Ids.newPublicId(), rid, 0, uid, "name-" + uid, System.currentTimeMillis(),
        cid, "text of " + cid, null);
  }

  static long far() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
  }

  static List<Long> seqsOf(List<Message> messages) {
    return messages.stream().map(Message::seq).toList();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
