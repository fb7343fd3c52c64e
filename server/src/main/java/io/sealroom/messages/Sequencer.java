package io.sealroom.messages;

import io.sealroom.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stores checked messages exactly once per (user, cid) with gap-free seqs, many per store round
 * trip. Sends from every event loop queue here; one batch at a time takes what has queued
 * (across rooms), gives each message the next seq of its room after the head this node knows,
 * and inserts the batch in order in one round trip. The store's unique indexes arbitrate:
 * <ul>
 *   <li>(rid, seq) taken: another node wrote that seq; this room's head is read again and the
 *       message and those after it are retried with new seqs;</li>
 *   <li>(uid, cid) taken: a retry of a stored message; it is answered with the stored message's
 *       ack, and the messages after it are retried with the seqs they would have had.</li>
 * </ul>
 * The insert stops at the first failure, so what is stored is always a prefix of each room's
 * numbering: no gap, on one node or many, and a crash at any point cannot skip a seq. An insert
 * completes once its messages are durable (the store's promise), and only then is each message
 * published once and acknowledged; the room documents' seq (the head as of a recent moment) is
 * raised for all rooms together a little later ({@link HeadRaiser}). Thread-safe; acks complete
 * on the caller's context.
 *
 * <p><b>Order.</b> This class owns the order of seqs within a room: a room's messages take its
 * seqs in the order their {@link #store} calls were made, since the inbox is one queue, first in
 * first out, for every room and event loop of this node, and a message that lost its seq to
 * another node goes again ahead of everything queued after it, with the messages behind it in
 * their order. A send refused before its insert (late, at capacity, its room gone) takes no seq.
 * Which of two racing calls comes first is not its to say: a connection's sends reach it one at a
 * time, in the order they were made, because the gateway's per-connection send queue starts a
 * send's checks only once the send before it is queued here (see {@link MessageService#send}).
 *
 * <p><b>Deadline.</b> Every send has one ({@code store.opTimeoutMs} after it was made). A send
 * still queued at its deadline is refused {@code unavailable} and never inserted; one whose insert
 * is under way at its deadline (a store that does not answer) is answered {@code unavailable}
 * then, by a watchdog that runs while an insert is under way, and whatever the insert does later
 * is not its answer. Such a send may still have been stored: the retry with its cid is answered
 * with the stored message's ack (the (uid, cid) index), so the sender never gets two answers
 * that disagree.
 */
final class Sequencer {
  static final int MAX_BATCH = 1024;
  /**
   * A send that waited this long for its batch is refused ({@code unavailable}, retryable with the
   * same cid) instead of stored: past the node's capacity the queue is drained by refusals, so
   * latency stays bounded instead of growing with the backlog.
   */
  static final long MAX_QUEUED_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2000);
  /** Seq conflicts one message may lose (to other nodes numbering the same room) before it fails unavailable. */
  static final int MAX_ATTEMPTS = 64;

  private static final ApiException AT_CAPACITY = new ApiException(io.sealroom.common.ErrorCode.UNAVAILABLE,
      "the node is at capacity: retry later with the same cid");
  static final ApiException LATE = new ApiException(io.sealroom.common.ErrorCode.UNAVAILABLE,
      "the store did not answer in time: retry later with the same cid");
  /** How often the watchdog looks for sends past their deadline while an insert is under way, at most. */
  static final long WATCHDOG_MS = 100;
  private final MessageStore messages;
  private final MessagePublisher publisher;
  private final Vertx vertx;
  /** Where batches run: one event-loop context, so the state below needs no locks. */
  private final ContextInternal home;
  private final ConcurrentLinkedQueue<Pending> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean woken = new AtomicBoolean();
  private final ArrayDeque<Pending> retry = new ArrayDeque<>();
  /** Per room: the last seq this node knows is taken (absent: read it from the store first). */
  private final Map<String, Long> heads = new HashMap<>();
  private final HeadRaiser raiser;
  private boolean inserting;
  /** {@link #pump} is on the stack; {@code pumpAgain}: a batch ended meanwhile, start the next. */
  private boolean pumping;
  private boolean pumpAgain;
  /** The batch whose heads are being read or whose insert is under way; empty otherwise. */
  private List<Pending> current = List.of();
  private long watchdog = -1;
  private final long watchdogMs;

  private static final class Pending {
    final Message message;
    final Promise<Ack> promise;
    final long queuedAt = System.nanoTime();
    final long deadline;
    int attempts;
    long seq;

    Pending(Message message, Promise<Ack> promise, long deadline) {
      this.message = message;
      this.promise = promise;
      this.deadline = deadline;
    }

    boolean answered() {
      return promise.future().isComplete();
    }

    boolean late(long now) {
      return now - deadline >= 0;
    }
  }

  /** opTimeoutMs: store.opTimeoutMs, the deadline of a send (see {@link #store}). */
  Sequencer(Vertx vertx, MessageStore messages, MessagePublisher publisher, long opTimeoutMs) {
    this.vertx = vertx;
    this.messages = messages;
    this.publisher = publisher;
    this.raiser = new HeadRaiser(vertx, messages);
    this.home = ((VertxInternal) vertx).createEventLoopContext();
    this.watchdogMs = Math.max(1, Math.min(WATCHDOG_MS, opTimeoutMs / 4));
  }

  /**
   * Stores a new message (seq 0 on entry) and returns its ack, or {@code unavailable} once
   * {@code deadline} (a {@link System#nanoTime} value) has passed.
   */
  Future<Ack> store(Message m, long deadline) {
    ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
    Promise<Ack> p = caller.promise();
    inbox.add(new Pending(m, p, deadline));
    if (woken.compareAndSet(false, true)) {
      home.runOnContext(v -> {
        woken.set(false);
        pump();
      });
    }
    return p.future();
  }

  /**
   * Starts the next batch, and the one after it for as long as each is answered within the call:
   * a loop, not a nested call per batch, so a long backlog answered synchronously (a retried cid
   * stops its batch, so a backlog of retries is one batch each) cannot overflow the stack. A call
   * made while the loop runs (a batch answered inside it) only asks it to go round again.
   */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        startBatch();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  private void startBatch() {
    if (inserting) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    long now = System.nanoTime();
    Pending p;
    while (batch.size() < MAX_BATCH && (p = retry.poll()) != null) {
      if (p.answered()) {
        continue; // answered at its deadline while it waited
      }
      if (p.late(now)) {
        p.promise.tryFail(LATE);
        continue;
      }
      batch.add(p);
    }
    while (batch.size() < MAX_BATCH && (p = inbox.poll()) != null) {
      if (p.answered()) {
        continue;
      }
      if (p.late(now)) {
        p.promise.tryFail(LATE);
        continue;
      }
      if (now - p.queuedAt > MAX_QUEUED_NANOS) {
        p.promise.tryFail(AT_CAPACITY);
        continue;
      }
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    inserting = true;
    current = batch;
    startWatchdog();
    Map<String, Throwable> unreadable = new HashMap<>();
    loadHeads(batch, unreadable).onComplete(ar -> insert(batch, unreadable));
  }

  /** Reads the head of every room in the batch this node does not know yet; a room that is gone fails its sends. */
  private Future<Void> loadHeads(List<Pending> batch, Map<String, Throwable> unreadable) {
    List<Future<Void>> loads = new ArrayList<>();
    Set<String> asked = new HashSet<>();
    for (Pending p : batch) {
      String rid = p.message.rid();
      if (!heads.containsKey(rid) && asked.add(rid)) {
        loads.add(messages.head(rid)
            .onSuccess(h -> heads.put(rid, h))
            .onFailure(t -> unreadable.put(rid, t))
            .<Void>mapEmpty());
      }
    }
    return loads.isEmpty() ? Future.succeededFuture() : Future.join(loads).<Void>mapEmpty().recover(t -> Future.succeededFuture());
  }

  private void insert(List<Pending> all, Map<String, Throwable> unreadable) {
    List<Pending> batch = new ArrayList<>(all.size());
    Map<String, Long> before = new HashMap<>();
    for (Pending p : all) {
      if (p.answered()) {
        continue; // answered at its deadline while the heads were read: not stored
      }
      String rid = p.message.rid();
      Long head = heads.get(rid);
      if (head == null) {
        // the head could not be read: the room is gone (not_found) or the store is down
        Throwable why = unreadable.get(rid);
        p.promise.tryFail(why instanceof ApiException ? why : ApiException.unavailable());
        continue;
      }
      before.putIfAbsent(rid, head);
      p.seq = head + 1;
      heads.put(rid, p.seq);
      batch.add(p);
    }
    if (batch.isEmpty()) {
      done();
      return;
    }
    List<Message> docs = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      docs.add(withSeq(p.message, p.seq));
    }
    messages.insertOrdered(docs).onComplete(ar -> {
      int stored = ar.succeeded() ? batch.size() : stoppedAt(ar.cause());
      // a room's head is the last seq stored in it; messages after the stop get new seqs on their retry
      for (Map.Entry<String, Long> e : before.entrySet()) {
        heads.put(e.getKey(), e.getValue());
      }
      for (int i = 0; i < stored; i++) {
        heads.put(batch.get(i).message.rid(), batch.get(i).seq);
      }
      List<Pending> done = new ArrayList<>(batch.subList(0, stored));
      if (!done.isEmpty()) {
        complete(done);
      }
      if (stored < batch.size()) {
        stopped(batch, stored, ar.cause()).onComplete(v -> done());
      } else {
        done();
      }
    });
  }

  private static int stoppedAt(Throwable t) {
    if (t instanceof MessageStore.DuplicateAt d) {
      return d.index;
    }
    if (t instanceof MessageStore.FailedAt f && f.index >= 0) {
      return f.index;
    }
    return 0;
  }

  /**
   * The insert stopped before message {@code at}: decide what each message from there on
   * becomes. Nothing else is inserted meanwhile, so the messages keep their order.
   */
  private Future<Void> stopped(List<Pending> batch, int at, Throwable cause) {
    List<Pending> rest = new ArrayList<>(batch.subList(at, batch.size()));
    if (cause instanceof MessageStore.DuplicateAt) {
      Pending hit = rest.get(0);
      // whichever index it hit, this node's idea of the room's head is suspect: read it again
      heads.remove(hit.message.rid());
      return messages.findByCid(hit.message.uid(), hit.message.cid()).transform(found -> {
        if (found.failed()) {
          rest.remove(0);
          hit.promise.tryFail(ApiException.unavailable());
        } else if (found.result() != null) {
          rest.remove(0);
          answerRetry(hit, found.result()); // a retried cid: the message is stored already
        } else if (++hit.attempts > MAX_ATTEMPTS) {
          rest.remove(0);
          hit.promise.tryFail(ApiException.unavailable());
        }
        // otherwise its seq was taken by another node: it goes again with the next free one
        requeue(rest);
        return Future.succeededFuture();
      });
    }
    // not a conflict: the store failed. Whether messages past the stop were written is not
    // known when the index is not, so heads are read again before the next insert into these rooms
    for (Pending p : rest) {
      heads.remove(p.message.rid());
      p.promise.tryFail(ApiException.unavailable());
    }
    return Future.succeededFuture();
  }

  /** Puts messages back at the head of the queue, in their order, ahead of newer sends. */
  private void requeue(List<Pending> rest) {
    for (int i = rest.size() - 1; i >= 0; i--) {
      retry.addFirst(rest.get(i));
    }
  }

  private void answerRetry(Pending hit, Message earlier) {
    if (!earlier.rid().equals(hit.message.rid())) {
      hit.promise.tryFail(ApiException.invalid("cid", "was already used for a message in another room"));
    } else if (earlier.seq() <= 0) {
      hit.promise.tryFail(ApiException.unavailable()); // a record without a seq (written by an older version)
    } else {
      hit.promise.tryComplete(Ack.of(earlier)); // found by a read: stored, hence durable
    }
  }

  private void done() {
    inserting = false;
    current = List.of();
    pump();
  }

  /** Runs the watchdog while batches are under way (it stops itself once there is nothing to watch). */
  private void startWatchdog() {
    if (watchdog < 0) {
      watchdog = vertx.setPeriodic(watchdogMs, id -> watch());
    }
  }

  /**
   * Answers every send past its deadline {@code unavailable}: those of the batch under way (its
   * store call has not come back) and those waiting behind it. On the home context.
   */
  private void watch() {
    if (!inserting && inbox.isEmpty() && retry.isEmpty()) {
      vertx.cancelTimer(watchdog);
      watchdog = -1;
      return;
    }
    long now = System.nanoTime();
    for (Pending p : current) {
      if (p.late(now)) {
        p.promise.tryFail(LATE);
      }
    }
    for (Pending p : retry) {
      if (p.late(now)) {
        p.promise.tryFail(LATE);
      }
    }
    for (Pending p : inbox) {
      if (p.late(now)) {
        p.promise.tryFail(LATE);
      }
    }
  }

  /** Stored messages: make them durable, then publish and acknowledge each; their rooms' heads are raised soon. */
  private void complete(List<Pending> stored) {
    for (Pending p : stored) {
      raiser.stored(p.message.rid(), p.seq);
    }
    for (Pending p : stored) {
      Message m = withSeq(p.message, p.seq);
      publisher.publish(m);
      // one answered unavailable at its deadline keeps that answer; its retry finds it stored
      p.promise.tryComplete(Ack.of(m));
    }
  }

  private static Message withSeq(Message m, long seq) {
    return m.withSeq(seq);
  }
}
