package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fan-out, sequencing, idempotency and resume under concurrent load, against a node with four gateway instances. */
class FanoutIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("http.instances", 4).build();
  static final Api api = node.api();

  static JsonObject sendFrame(String rid, String cid, String text) {
    return new JsonObject().put("op", "send").put("room", rid).put("cid", cid).put("text", text);
  }

  static JsonObject sub(String rid, Long since) {
    JsonObject f = new JsonObject().put("op", "sub").put("room", rid);
    return since == null ? f : f.put("since", since);
  }

  /** Collects msg frames until every seq in 1..last (above since) arrived or the time is up; returns seq -> count. */
  static Map<Long, Integer> collect(WsClient c, long since, long last, int seconds) throws InterruptedException {
    return collect(c, since, last, seconds, 300);
  }

  static Map<Long, Integer> collect(WsClient c, long since, long last, int seconds, long settleMs)
      throws InterruptedException {
    Map<Long, Integer> seen = new HashMap<>();
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (seen.size() < last - since && System.currentTimeMillis() < deadline) {
      JsonObject f = c.poll(200);
      if (f != null && "msg".equals(f.getString("op"))) {
        seen.merge(f.getLong("seq"), 1, Integer::sum);
      }
    }
    // anything still in flight would be a duplicate: give it a moment to show up
    for (JsonObject f : c.drain(settleMs)) {
      if ("msg".equals(f.getString("op"))) {
        seen.merge(f.getLong("seq"), 1, Integer::sum);
      }
    }
    return seen;
  }

  static void assertExactlyOnce(Map<Long, Integer> seen, long since, long last) {
    Set<Long> expected = new TreeSet<>();
    for (long s = since + 1; s <= last; s++) {
      expected.add(s);
    }
    assertEquals(expected, new TreeSet<>(seen.keySet()), "seqs received");
    seen.forEach((seq, n) -> assertEquals(1, n, "deliveries of seq " + seq));
  }

  @Test
  void everySubscriberGetsEveryMessageExactlyOnce() throws Exception {
    Api.User owner = api.newUser("fan");
    String rid = api.createRoom(owner, "c", "broadcast", List.of());
    int subscribers = 120;
    int messages = 60;
    List<WsClient> clients = new ArrayList<>();
    List<Long> subbedAt = new ArrayList<>();
    try {
      for (int i = 0; i < subscribers; i++) {
        Api.User u = api.newUser("sub" + i);
        assertEquals(200, api.post("/api/v1/rooms/" + rid + "/members", u.token(),
            new JsonObject().put("username", u.username())).status());
        WsClient c = WsClient.authed(node, u);
        c.send(sub(rid, null));
        subbedAt.add(c.awaitOp("subbed", 10).getLong("head"));
        clients.add(c);
      }
      // every join is a member.added event: each subscriber gets the later joins, then the messages
      long last = subbedAt.get(subscribers - 1) + messages;
      try (WsClient sender = WsClient.authed(node, owner)) {
        for (int i = 0; i < messages; i++) {
          sender.send(sendFrame(rid, "m" + i, "message " + i));
        }
        for (int i = 0; i < messages; i++) {
          sender.awaitOp("ack", 10);
        }
      }
      List<Map<Long, Integer>> seen = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        seen.add(collect(clients.get(i), subbedAt.get(i), last, 20, 1));
      }
      Thread.sleep(300); // duplicates, if any, would arrive now
      for (int i = 0; i < clients.size(); i++) {
        Map<Long, Integer> s = seen.get(i);
        clients.get(i).drain(1).stream().filter(f -> "msg".equals(f.getString("op")))
            .forEach(f -> s.merge(f.getLong("seq"), 1, Integer::sum));
        assertExactlyOnce(s, subbedAt.get(i), last);
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void concurrentSendersGetGapFreeSeqs() throws Exception {
    Api.User owner = api.newUser("seq");
    String rid = api.createRoom(owner, "c", "race", List.of());
    int senders = 8;
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        Api.User u = api.newUser("snd" + s);
        api.post("/api/v1/rooms/" + rid + "/members", u.token(), new JsonObject().put("username", u.username()));
        runs.add(pool.submit(() -> {
          try (WsClient c = WsClient.authed(node, u)) {
            for (int i = 0; i < each; i++) {
              c.send(sendFrame(rid, "c" + i, "x"));
            }
            for (int i = 0; i < each; i++) {
              assertTrue(acked.add(c.awaitOp("ack", 20).getLong("seq")), "seq acked twice");
            }
          }
          return null;
        }));
      }
      for (Future<?> f : runs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // the history holds room.created, a member.added per sender (joining while others send) and the messages
    long head = 1 + senders + (long) senders * each;
    List<JsonObject> all = new ArrayList<>();
    for (long after = 0; after < head; after += 200) {
      JsonObject page = api.get("/api/v1/rooms/" + rid + "/messages?limit=200&after=" + after, owner.token()).json();
      assertEquals(head, page.getLong("head"));
      page.getJsonArray("messages").forEach(m -> all.add((JsonObject) m));
    }
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1L, all.get(i).getLong("seq"), "gap-free across messages and events");
    }
    assertEquals(head, all.size());
    Set<Long> messages = new TreeSet<>();
    all.stream().filter(m -> !m.containsKey("event")).forEach(m -> messages.add(m.getLong("seq")));
    assertEquals((long) senders * each, messages.size());
    assertEquals(messages, new TreeSet<>(acked), "every message acked with its own seq");
  }

  @Test
  void resumeWithSinceHasNoGapAndNoDuplicateUnderConcurrentLoad() throws Exception {
    Api.User owner = api.newUser("res");
    String rid = api.createRoom(owner, "c", "resume", List.of());
    int senders = 4;
    int each = 150;
    long total = (long) senders * each;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Future<?>> runs = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      Api.User u = api.newUser("rs" + s);
      api.post("/api/v1/rooms/" + rid + "/members", u.token(), new JsonObject().put("username", u.username()));
      runs.add(pool.submit(() -> {
        try (WsClient c = WsClient.authed(node, u)) {
          for (int i = 0; i < each; i++) {
            c.send(sendFrame(rid, "r" + i, "load " + i));
            if (i % 10 == 9) {
              Thread.sleep(5);
            }
          }
          for (int i = 0; i < each; i++) {
            c.awaitOp("ack", 30);
          }
        }
        return null;
      }));
    }
    Api.User reader = api.newUser("reader");
    api.post("/api/v1/rooms/" + rid + "/members", reader.token(), new JsonObject().put("username", reader.username()));
    List<WsClient> resumers = new ArrayList<>();
    List<Long> sinces = new ArrayList<>();
    try {
      // join while the senders run, each from wherever the room's head is at that moment minus a bit
      for (int k = 0; k < 5; k++) {
        Thread.sleep(40);
        long head = api.get("/api/v1/rooms/" + rid + "/messages?limit=1", reader.token()).json().getLong("head");
        long since = Math.max(0, head - 20);
        WsClient c = WsClient.authed(node, reader);
        c.send(sub(rid, since));
        resumers.add(c);
        sinces.add(since);
      }
      for (Future<?> f : runs) {
        f.get(90, TimeUnit.SECONDS);
      }
      // the messages and the events of the joins (room.created, a member.added per sender and the reader)
      long last = total + senders + 2;
      assertEquals(last, api.get("/api/v1/rooms/" + rid + "/messages?limit=1", reader.token()).json().getLong("head"));
      for (int k = 0; k < resumers.size(); k++) {
        assertExactlyOnce(collect(resumers.get(k), sinces.get(k), last, 30), sinces.get(k), last);
      }
    } finally {
      pool.shutdownNow();
      resumers.forEach(WsClient::close);
    }
  }

  @Test
  void aRetriedCidIsStoredAndDeliveredOnce() throws Exception {
    Api.User u = api.newUser("cid");
    String rid = api.createRoom(u, "p", "idem", List.of());
    try (WsClient watcher = WsClient.authed(node, u); WsClient sender = WsClient.authed(node, u)) {
      watcher.send(sub(rid, 0L));
      watcher.awaitOp("subbed", 5);
      // concurrent duplicates and a later retry all get the first ack
      for (int i = 0; i < 5; i++) {
        sender.send(sendFrame(rid, "same-cid", "once"));
      }
      List<JsonObject> acks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        acks.add(sender.awaitOp("ack", 5));
      }
      sender.send(sendFrame(rid, "same-cid", "once"));
      acks.add(sender.awaitOp("ack", 5));
      for (JsonObject a : acks) {
        assertEquals(acks.get(0).getString("id"), a.getString("id"));
        assertEquals(2L, a.getLong("seq"), "after room.created");
        assertEquals("same-cid", a.getString("cid"));
      }
      assertExactlyOnce(collect(watcher, 0, 2, 5), 0, 2);
    }
    JsonObject page = api.get("/api/v1/rooms/" + rid + "/messages", u.token()).json();
    assertEquals(2, page.getJsonArray("messages").size(), "room.created and the message, once");
    assertEquals(2L, page.getLong("head"));
  }
}
