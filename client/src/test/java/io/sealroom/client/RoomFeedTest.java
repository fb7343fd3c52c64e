package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoomFeedTest {
  private static JsonObject msg(long seq, String kid) {
    JsonObject m = new JsonObject().put("room", "r1").put("id", "m" + seq).put("seq", seq).put("ts", 1000L + seq)
        .put("cid", "c" + seq).put("from", new JsonObject().put("id", "u1").put("username", "ann"));
    return kid == null ? m.put("text", "t" + seq) : m.put("e2e", new JsonObject().put("kid", kid));
  }

  /** Opens plain messages, and encrypted ones whose kid is in {@code held}; null (hold) otherwise. */
  private static Function<JsonObject, ChatMessage> opener(Set<String> held) {
    return m -> {
      JsonObject e2e = m.getJsonObject("e2e");
      if (e2e == null) {
        return Wire.plain(m);
      }
      return held.contains(e2e.getString("kid")) ? Wire.opened(m, "open", java.util.List.of(), null) : null;
    };
  }

  private static List<Long> seqs(List<ChatMessage> ms) {
    return ms.stream().map(ChatMessage::seq).collect(Collectors.toList());
  }

  private static RoomFeed feed(long since) {
    return new RoomFeed("r1", since, m -> { }, new Subscription("r1", since, s -> { }));
  }

  @Test
  void aMessageWaitingForItsKeyHoldsThoseBehindItThenAllComeInOrder() {
    Set<String> keys = new HashSet<>();
    RoomFeed f = feed(0);
    f.offer(msg(1, null));
    f.offer(msg(2, "k1"));
    f.offer(msg(3, null));
    assertEquals(List.of(1L), seqs(f.drain(opener(keys))));
    assertTrue(f.holding());
    assertEquals(List.of(), f.drain(opener(keys)));
    keys.add("k1");
    assertEquals(List.of(2L, 3L), seqs(f.drain(opener(keys))));
    assertFalse(f.holding());
  }

  @Test
  void heldMessagesCountAsReceivedForResume() {
    RoomFeed f = feed(0);
    f.offer(msg(1, "k1"));
    f.offer(msg(2, "k1"));
    f.drain(opener(Set.of()));
    assertEquals(2, f.subscription.lastSeq());
    assertEquals(2L, f.subFrame().getLong("since"));
  }

  @Test
  void aLiveOnlyFeedSubscribesWithoutSinceUntilItKnowsTheHead() {
    RoomFeed f = feed(-1);
    assertFalse(f.subFrame().containsKey("since"));
    f.onSubbed(5);
    assertEquals(5L, f.subFrame().getLong("since"));
    f.offer(msg(5, null));
    f.offer(msg(6, null));
    assertEquals(List.of(6L), seqs(f.drain(opener(Set.of()))));
  }

  @Test
  void aResubscribeReplayDoesNotDeliverTwice() {
    RoomFeed f = feed(0);
    for (long s = 1; s <= 3; s++) {
      f.offer(msg(s, null));
    }
    assertEquals(List.of(1L, 2L, 3L), seqs(f.drain(opener(Set.of()))));
    for (long s = 1; s <= 4; s++) {
      f.offer(msg(s, null));
    }
    assertEquals(List.of(4L), seqs(f.drain(opener(Set.of()))));
  }

  @Test
  void aLostSeqIsSkippedOnlyWhenToldSo() {
    RoomFeed f = feed(0);
    f.offer(msg(1, null));
    f.offer(msg(3, null));
    assertEquals(List.of(1L), seqs(f.drain(opener(Set.of()))));
    assertTrue(f.hasGap());
    f.skipTo(f.firstHeld() - 1);
    assertEquals(List.of(3L), seqs(f.drain(opener(Set.of()))));
    assertEquals(3, f.contiguous());
  }

  private static JsonObject event(long seq, String type) {
    return new JsonObject().put("room", "r1").put("id", "e" + seq).put("seq", seq).put("ts", 1000L + seq)
        .put("from", new JsonObject().put("id", "u1").put("username", "ann"))
        .put("event", new JsonObject().put("type", type).put("user", new JsonObject().put("id", "u2").put("username", "bo")));
  }

  @Test
  void eventsTakeTheirPlaceInTheOrderWithoutStallingIt() {
    Set<String> keys = new HashSet<>();
    RoomFeed f = feed(0);
    f.offer(event(1, "room.created"));
    f.offer(msg(3, "k1"));
    f.offer(event(4, "member.added"));
    f.offer(msg(2, null));
    f.offer(event(4, "member.added"));
    List<ChatMessage> first = f.drain(opener(keys));
    assertEquals(List.of(1L, 2L), seqs(first));
    assertTrue(first.get(0).isEvent());
    assertEquals(ChatMessage.State.EVENT, first.get(0).state());
    assertEquals(null, first.get(0).cid());
    assertFalse(first.get(1).isEvent());
    keys.add("k1");
    List<ChatMessage> rest = f.drain(opener(keys));
    assertEquals(List.of(3L, 4L), seqs(rest), "an event behind a held message waits with it, once");
    RoomEvent added = rest.get(1).event();
    assertEquals(RoomEvent.MEMBER_ADDED, added.type());
    assertEquals(new User("u2", "bo"), added.user());
    assertEquals(4, f.contiguous());
  }
}
