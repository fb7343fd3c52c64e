package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.ExternalMongo;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share one store; a client retries a send on the other node while the first attempt
 * is still in flight (as a client does after a reconnect). The message is stored once, both
 * attempts get the same ack, and the room's seqs stay gap-free (DESIGN: "1, 2, 3 ... with no gaps").
 */
class RetryAcrossNodesIT {
  private static final int ROUNDS = 25;
  static ExternalMongo store;
  static TestNode a;
  static TestNode b;

  @BeforeAll
  static void start() throws Exception {
    store = ExternalMongo.start();
    a = TestNode.start(Map.of("mongo.uri", store.uri()));
    b = TestNode.start(Map.of("mongo.uri", store.uri(), "metrics.enabled", false));
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
    store.close();
  }

  @Test
  void aCidSentToTwoNodesAtOnceIsStoredOnceWithoutASeqGap() throws Exception {
    Api apiA = a.api();
    Api apiB = b.api();
    Api.User alice = apiA.newUser("alice");
    // each in-memory node signs with its own generated key: log in on b as well
    String tokenB = apiB.login(alice.username(), "password-" + alice.username()).json().getString("token");
    String rid = apiA.createRoom(alice, "p", "two nodes", List.of());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        JsonObject body = new JsonObject().put("cid", "retry-" + round).put("text", "round " + round);
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<Api.Res>> both = new ArrayList<>();
        both.add(pool.submit(() -> {
          together.await();
          return apiA.post("/api/v1/rooms/" + rid + "/messages", alice.token(), body);
        }));
        both.add(pool.submit(() -> {
          together.await();
          return apiB.post("/api/v1/rooms/" + rid + "/messages", tokenB, body);
        }));
        Api.Res first = both.get(0).get();
        Api.Res second = both.get(1).get();
        assertEquals(201, first.status(), first.raw());
        assertEquals(201, second.status(), second.raw());
        assertEquals(first.json(), second.json(), "round " + round + ": the same ack");
      }
    } finally {
      pool.shutdownNow();
    }
    JsonObject h = apiA.get("/api/v1/rooms/" + rid + "/messages?after=0&limit=200", alice.token()).json();
    // seq 1 is the room.created event
    assertEquals(ROUNDS + 1, h.getJsonArray("messages").size(), "stored once per cid");
    List<Long> seqs = new ArrayList<>();
    h.getJsonArray("messages").forEach(m -> seqs.add(((JsonObject) m).getLong("seq")));
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= ROUNDS + 1; s++) {
      expected.add(s);
    }
    assertEquals(expected, seqs, "gap-free seqs");
    assertEquals(ROUNDS + 1L, h.getLong("head"));
  }

  /**
   * Both nodes number the same room at once from their own idea of its head: every conflict on
   * a seq is detected by the store and retried, so all sends are stored once under seqs 1..N.
   */
  @Test
  void concurrentSendersOnTwoNodesGetGapFreeSeqs() throws Exception {
    Api apiA = a.api();
    Api apiB = b.api();
    Api.User bob = apiA.newUser("bob");
    String tokenB = apiB.login(bob.username(), "password-" + bob.username()).json().getString("token");
    String rid = apiA.createRoom(bob, "p", "numbered twice", List.of());
    int senders = 8;
    int each = 30;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      CyclicBarrier together = new CyclicBarrier(senders);
      List<Future<List<Long>>> acks = new ArrayList<>();
      for (int t = 0; t < senders; t++) {
        int sender = t;
        Api api = t % 2 == 0 ? apiA : apiB;
        String token = t % 2 == 0 ? bob.token() : tokenB;
        acks.add(pool.submit(() -> {
          together.await();
          List<Long> mine = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", token,
                new JsonObject().put("cid", "s" + sender + "-" + i).put("text", "m"));
            assertEquals(201, r.status(), r.raw());
            mine.add(r.json().getLong("seq"));
          }
          return mine;
        }));
      }
      java.util.Set<Long> acked = new java.util.TreeSet<>();
      for (Future<List<Long>> f : acks) {
        acked.addAll(f.get());
      }
      assertEquals(senders * each, acked.size(), "every send acked with its own seq");
      assertEquals(2L, acked.iterator().next(), "after room.created");
      assertEquals(senders * each + 1L, ((java.util.TreeSet<Long>) acked).last());
    } finally {
      pool.shutdownNow();
    }
    List<Long> seqs = new ArrayList<>();
    for (long after = 0; after < senders * each + 1; after += 200) {
      JsonObject h = apiB.get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=200", tokenB).json();
      h.getJsonArray("messages").forEach(m -> seqs.add(((JsonObject) m).getLong("seq")));
      assertEquals(senders * each + 1L, h.getLong("head"), "the head as both nodes see it");
    }
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= senders * each + 1; s++) {
      expected.add(s);
    }
    assertEquals(expected, seqs, "stored once each, no gap");
  }
}
