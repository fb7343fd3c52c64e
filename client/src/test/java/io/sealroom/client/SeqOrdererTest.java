package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeqOrdererTest {
  @Test
  void deliversInOrderAndRemembersWhereToResume() {
    SeqOrderer<String> o = new SeqOrderer<>();
    o.start(0);
    assertEquals(List.of("1"), o.offer(1, "1"));
    assertEquals(List.of("2"), o.offer(2, "2"));
    assertEquals(2, o.contiguous());
  }

  @Test
  void dropsDuplicatesFromReplayAndLive() {
    SeqOrderer<String> o = new SeqOrderer<>();
    o.start(0);
    o.offer(1, "1");
    o.offer(2, "2");
    assertEquals(List.of(), o.offer(2, "2 again"));
    assertEquals(List.of(), o.offer(1, "1 again"));
    o.offer(4, "4");
    assertEquals(List.of(), o.offer(4, "4 again"));
    assertEquals(List.of("3", "4"), o.offer(3, "3"));
  }

  @Test
  void holdsLaterSeqsUntilTheGapIsFilled() {
    SeqOrderer<String> o = new SeqOrderer<>();
    o.start(10);
    assertEquals(List.of(), o.offer(13, "13"));
    assertEquals(List.of(), o.offer(12, "12"));
    assertTrue(o.hasGap());
    assertEquals(12, o.firstHeld());
    assertEquals(10, o.contiguous());
    assertEquals(List.of("11", "12", "13"), o.offer(11, "11"));
    assertFalse(o.hasGap());
    assertEquals(13, o.contiguous());
  }

  @Test
  void ignoresWhatCameBeforeTheStartingPoint() {
    SeqOrderer<String> o = new SeqOrderer<>();
    o.start(5);
    assertEquals(List.of(), o.offer(3, "3"));
    assertEquals(List.of(), o.offer(5, "5"));
    assertEquals(List.of("6"), o.offer(6, "6"));
  }

  @Test
  void aLiveOnlySubscriptionStartsAtTheHeadItLearnsLater() {
    SeqOrderer<String> o = new SeqOrderer<>();
    assertFalse(o.started());
    assertEquals(List.of(), o.offer(8, "8"));
    assertEquals(List.of(), o.offer(7, "7"));
    assertEquals(List.of("8"), o.start(7));
    assertEquals(List.of(), o.start(0));
    assertEquals(8, o.contiguous());
  }

  @Test
  void skippingALostSeqReleasesWhatFollows() {
    SeqOrderer<String> o = new SeqOrderer<>();
    o.start(0);
    o.offer(1, "1");
    o.offer(3, "3");
    o.offer(4, "4");
    assertEquals(List.of("3", "4"), o.skipTo(2));
    assertEquals(4, o.contiguous());
    assertEquals(List.of(), o.skipTo(1));
  }

  @Test
  void shuffledDuplicatedStreamComesOutOnceInOrder() {
    SeqOrderer<Long> o = new SeqOrderer<>();
    o.start(0);
    List<Long> in = new ArrayList<>();
    for (long s = 1; s <= 200; s++) {
      in.add(s);
      in.add(s);
    }
    java.util.Collections.shuffle(in, new java.util.Random(3));
    List<Long> out = new ArrayList<>();
    for (long s : in) {
      out.addAll(o.offer(s, s));
    }
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= 200; s++) {
      expected.add(s);
    }
    assertEquals(expected, out);
  }
}
