package io.sealroom.messages;

import io.vertx.core.Future;

/**
 * What {@link MessageService#send} promises for one send, in two steps.
 *
 * <ul>
 *   <li>{@code placed} completes (it never fails) once the send has its place in its room's
 *       numbering: it passed its checks and is queued in the {@link Sequencer}, behind every send
 *       queued before it; or it was refused before getting one; or it is a retry of a cid still in
 *       flight on this node, whose place is the first attempt's. A caller that makes its next send
 *       only then gets its sends numbered in the order it made them. It completes on whichever
 *       thread the checks end: a caller that goes on from it on its own event loop hops there.</li>
 *   <li>{@code acked} is the ack once the message is durably stored (for a retried cid, the
 *       stored message's own ack), or the error: a rule it breaks, or {@code unavailable} past its
 *       deadline (retry with the same cid).</li>
 * </ul>
 * {@code placed} completes no later than {@code acked}.
 */
public record SendOutcome(Future<Void> placed, Future<Ack> acked) {
}
