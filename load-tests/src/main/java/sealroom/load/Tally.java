package sealroom.load;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each fan-out subscriber received, by the publisher's message number k (loss, duplicates,
 * send order) and, for Sealroom, by room seq (seq breaks, acknowledged seqs that never arrived).
 * A subscriber's arrays are written only on its connection's event loop; the acked seqs only on
 * the publisher's.
 */
final class Tally {
  private final long[][] seen;             // per subscriber: bit k = message k received
  private final AtomicIntegerArray distinct;
  private final int[] maxK;                // per subscriber: highest k received
  private final long[] lastSeq;            // per subscriber: last room seq seen (Sealroom)
  private final long[][] gotSeq;           // Sealroom, per subscriber: bit seq received
  private final long[] ackedSeq;           // Sealroom: bit seq acked
  final LongAdder dupes = new LongAdder(), reordered = new LongAdder(), seqBreaks = new LongAdder();

  Tally(int subs, int total, boolean bySeq) {
    this.seen = new long[subs][(total + 63) / 64];
    this.distinct = new AtomicIntegerArray(subs);
    this.maxK = new int[subs];
    this.lastSeq = new long[subs];
    int seqWords = bySeq ? (total + 2 + 63) / 64 : 0;
    this.gotSeq = new long[bySeq ? subs : 0][seqWords];
    this.ackedSeq = new long[seqWords];
    java.util.Arrays.fill(maxK, -1);
  }

  /**
   * Counts frames whose seq is not the last one + 1. Sealroom may publish two sends stored at the
   * same time in the opposite order (protocol.md, "Live order"), so this is informational; gaps and
   * duplicates are what the k bitset catches.
   */
  void seq(int sub, ByteBuf b, int from, int to) {
    long seq = Scan.seq(b, from, to);
    if (seq < 0) { seqBreaks.increment(); return; }
    if (seq > 0 && (seq >> 6) < gotSeq[sub].length) gotSeq[sub][(int) (seq >> 6)] |= 1L << (seq & 63);
    if (lastSeq[sub] != 0 && seq != lastSeq[sub] + 1) seqBreaks.increment();
    lastSeq[sub] = seq;
  }

  /** Message k (0 <= k < total) reached the subscriber: false when it had it already. */
  boolean received(int sub, int k) {
    long[] bits = seen[sub];
    long m = 1L << (k & 63);
    if ((bits[k >> 6] & m) != 0) { dupes.increment(); return false; }
    bits[k >> 6] |= m;
    distinct.incrementAndGet(sub);
    if (k < maxK[sub]) reordered.increment(); else maxK[sub] = k;
    return true;
  }

  /** The publisher got the ack of this seq. */
  void acked(long seq) {
    if (seq > 0 && (seq >> 6) < ackedSeq.length) ackedSeq[(int) (seq >> 6)] |= 1L << (seq & 63);
  }

  int distinct(int sub) {
    return distinct.get(sub);
  }

  /** Acknowledged seqs that never reached the subscriber (Sealroom: the room is new, so seqs are 1..acked). */
  long missingAcked(int sub) {
    long m = 0;
    for (int w = 0; w < ackedSeq.length; w++) m += Long.bitCount(ackedSeq[w] & ~gotSeq[sub][w]);
    return m;
  }

  boolean bySeq() {
    return gotSeq.length > 0;
  }
}
