package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** De-duplication by seq of one connection's room subscription, and its replay buffer. */
class RoomSubTest {

  static RoomFrame frame(long seq) {
    return new RoomFrame(seq, Buffer.buffer("{\"op\":\"msg\",\"seq\":" + seq + "}"), null, System.nanoTime());
  }

  @Test
  void withoutSinceEveryFrameIsLiveAndNothingIsDeduplicated() {
    RoomSub sub = new RoomSub("r", null, null);
    assertFalse(sub.isReplaying());
    assertTrue(sub.firstDelivery(3));
    assertTrue(sub.firstDelivery(3));
    assertTrue(sub.firstDelivery(1));
  }

  @Test
  void withSinceItReplaysAndDropsSeqsUpToSince() {
    RoomSub sub = new RoomSub("r", null, 5L);
    assertTrue(sub.isReplaying());
    assertEquals(5, sub.floor());
    for (long s = 1; s <= 5; s++) {
      assertFalse(sub.firstDelivery(s), "seq " + s + " was delivered before the subscription");
    }
    assertTrue(sub.firstDelivery(6));
    assertEquals(6, sub.floor());
  }

  @Test
  void eachSeqIsDeliveredOnce() {
    RoomSub sub = new RoomSub("r", null, 0L);
    for (long s = 1; s <= 100; s++) {
      assertTrue(sub.firstDelivery(s));
      assertFalse(sub.firstDelivery(s), "duplicate " + s);
    }
    assertEquals(100, sub.floor());
    assertFalse(sub.firstDelivery(50));
  }

  @Test
  void aLateSeqBelowDeliveredOnesStillPassesOnce() {
    RoomSub sub = new RoomSub("r", null, 0L);
    assertTrue(sub.firstDelivery(2));
    assertTrue(sub.firstDelivery(4));
    assertEquals(0, sub.floor(), "1 is still missing");
    assertTrue(sub.firstDelivery(1), "stored late, delivered late");
    assertEquals(2, sub.floor());
    assertFalse(sub.firstDelivery(1));
    assertFalse(sub.firstDelivery(2));
    assertFalse(sub.firstDelivery(4));
    assertTrue(sub.firstDelivery(3));
    assertEquals(4, sub.floor(), "the floor absorbs the seqs above it once the gap closes");
    assertFalse(sub.firstDelivery(3));
    assertTrue(sub.firstDelivery(5));
  }

  @Test
  void framesThatAreNotMessagesAlwaysPass() {
    RoomSub sub = new RoomSub("r", null, 10L);
    assertTrue(sub.firstDelivery(0));
    assertTrue(sub.firstDelivery(0));
    assertEquals(10, sub.floor());
  }

  @Test
  void seqsThatNeverArriveDoNotPinMemory() {
    RoomSub sub = new RoomSub("r", null, 0L);
    long highest = 200_000;
    for (long s = 2; s <= highest; s += 2) {
      assertTrue(sub.firstDelivery(s));
    }
    // the odd seqs never came: the floor has moved up anyway, remembering a bounded window
    assertTrue(highest - sub.floor() <= 10_000, "floor " + sub.floor());
    assertFalse(sub.firstDelivery(1), "below the floor now: treated as delivered");
    assertFalse(sub.firstDelivery(highest), "still de-duplicated");
    assertTrue(sub.firstDelivery(highest - 1), "an odd seq inside the window still passes once");
    assertFalse(sub.firstDelivery(highest - 1));
    assertTrue(sub.firstDelivery(highest + 1));
  }

  @Test
  void bufferingDuringReplayOverflowsIntoAFreshReplay() {
    RoomSub sub = new RoomSub("r", null, 0L);
    for (int i = 1; i <= RoomSub.MAX_BUFFERED; i++) {
      assertTrue(sub.buffer(frame(i)));
    }
    assertEquals(RoomSub.MAX_BUFFERED, sub.bufferedCount());
    assertFalse(sub.hasOverflowed());
    assertFalse(sub.buffer(frame(RoomSub.MAX_BUFFERED + 1)), "over the cap");
    assertTrue(sub.hasOverflowed());
    assertEquals(0, sub.bufferedCount(), "the buffer is dropped: the replay reads the store again");
    assertTrue(sub.buffer(frame(RoomSub.MAX_BUFFERED + 2)));
    assertEquals(0, sub.bufferedCount(), "nothing is buffered until the replay has run again");
  }

  @Test
  void aSkippedSeqIsAGapUntilItArrives() {
    RoomSub sub = new RoomSub("r", null, 3L);
    assertTrue(sub.firstDelivery(4));
    assertFalse(sub.hasGap());
    assertTrue(sub.firstDelivery(6));
    assertTrue(sub.hasGap(), "5 is missing");
    assertEquals(6, sub.highest());
    assertEquals(4, sub.floor());
    assertTrue(sub.firstDelivery(5));
    assertFalse(sub.hasGap());
    assertEquals(6, sub.floor());
  }

  @Test
  void aSubscriptionWithoutSinceIsTrackedFromTheHeadOnceAsked() {
    RoomSub sub = new RoomSub("r", null, null);
    assertTrue(sub.firstDelivery(3));
    assertTrue(sub.firstDelivery(3), "untracked: nothing is deduplicated");
    sub.track(10);
    assertFalse(sub.firstDelivery(9), "at or below the head it started from");
    assertTrue(sub.firstDelivery(12));
    assertTrue(sub.hasGap(), "11 is missing");
    assertFalse(sub.firstDelivery(12));
  }
}
