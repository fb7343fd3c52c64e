package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.messages.Ack;
import io.sealroom.messages.SendOutcome;
import io.sealroom.messages.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's sends, oldest first: the queue that keeps a connection's sends numbered in
 * the order they arrive (docs/protocol.md, "A sender's order"), and holds reading back while
 * too many of them are being stored ("Sends in flight").
 *
 * <p><b>What it orders, and why.</b> A room's seqs follow the order in which sends reach the
 * message service's sequencer, whose queue is first in, first out. But a send's checks may read the
 * store (its room, the sender's membership, the sender's key version) and finish in any order, so
 * two sends started together could swap places there. This queue therefore starts a send
 * (judges it against the user's send budget, then hands it to the message service) only once the
 * send before it has its place in the numbering ({@link SendOutcome#placed}) or was refused. It
 * waits for the place, not for the ack: many sends of a connection are stored at once. Which
 * connection's send goes first is not its concern, nor the order of seqs within a room (the
 * sequencer's), nor sends of a cid already under way (the message service shares their outcome).
 *
 * <p><b>Back-pressure.</b> A send counts as in flight from the moment it arrives until it is
 * answered; at {@link #MAX_IN_FLIGHT} the socket stops being read (TCP pushes back on the client)
 * until one is answered.
 *
 * <p>Event-loop confined: every method runs on the connection's event loop, and whatever
 * completes elsewhere (the budget of a cluster, a store's reply) is heard back on that loop
 * through {@link Loop#promise}.
 */
final class SendQueue {
  private static final Logger LOG = Logger.getLogger(SendQueue.class.getName());
  /** Sends of one connection being stored at once; beyond it the socket stops being read (TCP backpressure). */
  static final int MAX_IN_FLIGHT = 256;

  /** What the queue does to its connection. */
  interface Socket {
    boolean isOpen();

    /** Stops reading the client's frames until {@link #resumeReading}. */
    void pauseReading();

    void resumeReading();

    /** Writes a frame for this connection only. */
    void write(Buffer frame);

    /** Closes the connection for sending far over its budget (4029). */
    void closeForSendRate();
  }

  /** Makes promises whose callbacks run on the connection's event loop, whichever thread completes them. */
  interface Loop {
    <T> Promise<T> promise();
  }

  /** Hands a send of the connection's user to the message service. */
  interface Sender {
    SendOutcome send(SendRequest req, long arrivedNanos);
  }

  private record Waiting(Future<Boolean> taken, SendRequest req, Object ref, long arrivedNanos) {
  }

  private final Socket socket;
  private final Loop loop;
  private final Supplier<Future<Boolean>> budget;
  private final Sender sender;
  private final SendLimiter limiter;
  private final GatewayMetrics metrics;
  /** Sends not started yet, oldest first. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** The head of {@link #waiting}, or the send started before it, is not through yet: the rest wait. */
  private boolean placing;
  private int inFlight;

  /**
   * @param budget takes one send from the user's budget: true when it had one
   * @param limiter what a send over the budget leads to
   */
  SendQueue(Socket socket, Loop loop, Supplier<Future<Boolean>> budget, Sender sender, SendLimiter limiter,
      GatewayMetrics metrics) {
    this.socket = socket;
    this.loop = loop;
    this.budget = budget;
    this.sender = sender;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /** A send frame, parsed: it goes after every send offered before it; its ack or error frame carries {@code ref}. */
  void offer(SendRequest req, Object ref) {
    // counted from here: sends waiting for their budget check also hold back reading
    if (++inFlight == MAX_IN_FLIGHT) {
      socket.pauseReading();
    }
    // the budget may answer asynchronously (a cluster), on another thread: it is heard on this loop
    Promise<Boolean> taken = loop.promise();
    budget.get().onComplete(taken);
    waiting.add(new Waiting(taken.future(), req, ref, System.nanoTime()));
    startNext();
  }

  /**
   * Starts the waiting sends in order, each once the one before it has its place. A loop, not a
   * chain of callbacks: while a connection's first send reads its room from the store, the client
   * may have pipelined hundreds more, and one nested call per send would overflow the stack.
   */
  private void startNext() {
    while (!placing && !waiting.isEmpty()) {
      Waiting w = waiting.peek();
      if (!w.taken().isComplete()) {
        placing = true;
        w.taken().onComplete(v -> placed());
        return;
      }
      waiting.poll();
      Future<Void> placed = start(w);
      if (!placed.isComplete()) {
        placing = true;
        placed.onComplete(v -> placed());
        return;
      }
    }
  }

  private void placed() {
    placing = false;
    startNext();
  }

  /** Judges the send and hands it on; completes once it has its place or was refused. */
  private Future<Void> start(Waiting w) {
    Future<Boolean> taken = w.taken();
    if (!socket.isOpen()) {
      return refused();
    }
    if (taken.failed()) {
      refused();
      socket.write(Frames.error(new ApiException(ErrorCode.UNAVAILABLE, "the send budget could not be checked, retry"),
          w.ref(), w.req().cid()));
      return Future.succeededFuture();
    }
    SendLimiter.Verdict verdict = limiter.judge(taken.result(), System.currentTimeMillis());
    if (verdict != SendLimiter.Verdict.OK) {
      refused();
      if (verdict == SendLimiter.Verdict.CLOSE) {
        socket.closeForSendRate();
      } else {
        socket.write(Frames.error(new ApiException(ErrorCode.RATE_LIMITED, "sending too fast, slow down"), w.ref(),
            w.req().cid()));
      }
      return Future.succeededFuture();
    }
    return store(w);
  }

  /** A send that never reached the store: the next one may go on. */
  private Future<Void> refused() {
    answered();
    return Future.succeededFuture();
  }

  private Future<Void> store(Waiting w) {
    long start = System.nanoTime();
    // its deadline counts from when it arrived, not from when its turn came
    SendOutcome outcome = sender.send(w.req(), w.arrivedNanos());
    // the store completes a send on whichever thread its reply or commit came: the count of
    // sends in flight (and the pause/resume it drives) is kept on this connection's loop only,
    // or a lost update left the socket paused for good
    Promise<Ack> acked = loop.promise();
    outcome.acked().onComplete(acked);
    acked.future().onComplete(ar -> {
      answered();
      if (ar.succeeded()) {
        metrics.stored(System.nanoTime() - start);
        socket.write(Frames.ack(ar.result(), w.ref()));
      } else {
        if (!(ar.cause() instanceof ApiException)) {
          LOG.log(Level.WARNING, "send failed", ar.cause());
        }
        socket.write(Frames.error(ApiException.from(ar.cause()), w.ref(), w.req().cid()));
      }
    });
    // completed wherever the checks end (a store read's thread): the next send goes on on this loop
    Promise<Void> placed = loop.promise();
    outcome.placed().onComplete(placed);
    return placed.future();
  }

  private void answered() {
    if (inFlight-- == MAX_IN_FLIGHT) {
      socket.resumeReading();
    }
  }
}
