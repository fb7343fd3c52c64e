package io.sealroom.messages;

import io.sealroom.common.ApiException;
import io.sealroom.store.Durability;
import io.sealroom.store.StoreErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Stores a checked message exactly once per (user, cid) and gives it a gap-free seq:
 * <ol>
 *   <li>claim: insert the message without a seq; the unique (uid, cid) index lets exactly one
 *       attempt win, on any node;</li>
 *   <li>take the room's next seq (one atomic increment in the store) and set it on the claimed
 *       message;</li>
 *   <li>wait for durability, then publish once and acknowledge.</li>
 * </ol>
 * Only the winner of a claim takes a seq, so a retried cid racing its original (even from
 * another node) never burns a number. A loser waits for the winner's seq and answers with the
 * same ack. A claim left without a seq by a crash is completed by the next retry once it is
 * {@link #ORPHAN_MS} old; the one case left that can skip a seq is a crash between taking the
 * seq and setting it. Thread-safe.
 */
final class Sequencer {
  static final long ORPHAN_MS = 5000;
  private static final long POLL_MS = 20;

  private final Vertx vertx;
  private final MessageStore messages;
  private final Durability durability;
  private final MessagePublisher publisher;

  Sequencer(Vertx vertx, MessageStore messages, Durability durability, MessagePublisher publisher) {
    this.vertx = vertx;
    this.messages = messages;
    this.durability = durability;
    this.publisher = publisher;
  }

  /** Stores a new message (seq 0 on entry) and returns its ack. */
  Future<Ack> store(Message claim) {
    return messages.claim(claim)
        .compose(v -> sequence(claim))
        .recover(t -> StoreErrors.isDuplicateKey(t)
            ? messages.findByCid(claim.uid(), claim.cid()).compose(m -> m == null
                ? Future.failedFuture(ApiException.unavailable())
                : retried(m, claim.rid(), System.currentTimeMillis() + ORPHAN_MS))
            : StoreErrors.unavailable(t));
  }

  private Future<Ack> retried(Message earlier, String rid, long giveUpAt) {
    if (!earlier.rid().equals(rid)) {
      return Future.failedFuture(ApiException.invalid("cid", "was already used for a message in another room"));
    }
    if (earlier.seq() > 0) {
      return durability.sync().map(v -> Ack.of(earlier));
    }
    if (System.currentTimeMillis() - earlier.ts() > ORPHAN_MS) {
      return sequence(earlier); // its sender died between claim and seq: finish its work
    }
    if (System.currentTimeMillis() > giveUpAt) {
      return Future.failedFuture(ApiException.unavailable());
    }
    // the original attempt is taking its seq right now: wait for it
    return vertx.timer(POLL_MS)
        .compose(x -> messages.findByCid(earlier.uid(), earlier.cid()))
        .compose(m -> m == null ? Future.failedFuture(ApiException.unavailable()) : retried(m, rid, giveUpAt));
  }

  /** Takes a seq for the claimed message; only the attempt whose seq sticks publishes it. */
  private Future<Ack> sequence(Message claimed) {
    return messages.allocateSeq(claimed.rid())
        .compose(seq -> messages.assignSeq(claimed.rid(), claimed.id(), seq).compose(set -> {
          if (set) {
            Message m = withSeq(claimed, seq);
            return durability.sync().map(v -> {
              publisher.publish(m);
              return Ack.of(m);
            });
          }
          // another retry completed this orphan first: its seq is the one (and it publishes)
          return messages.findByCid(claimed.uid(), claimed.cid()).compose(m -> m == null || m.seq() == 0
              ? Future.failedFuture(ApiException.unavailable())
              : durability.sync().map(v -> Ack.of(m)));
        }));
  }

  private static Message withSeq(Message m, long seq) {
    return new Message(m.id(), m.rid(), seq, m.uid(), m.username(), m.ts(), m.cid(), m.text(), m.e2e());
  }
}
