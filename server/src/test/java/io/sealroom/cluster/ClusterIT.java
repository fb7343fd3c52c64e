package io.sealroom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.ClusterProcesses;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.LoadBalancer;
import io.sealroom.testing.WsClient;
import static io.sealroom.cluster.ClusterClients.awaitAcks;
import static io.sealroom.cluster.ClusterClients.send;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three node processes and the store process on loopback, as an operator runs them on one
 * machine. Every guarantee of one node holds across nodes: fan-out exactly once (also through
 * the compose file's nginx), gap-free seqs, one winner of a room key id, rate limits per user,
 * session revocation. A node dying under load: {@link ClusterFailoverIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final int RATE = 50;
  private static final int ITER = 1000;
  static Path dir;
  static ClusterProcesses cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sealroom-cluster-it");
    cluster = ClusterProcesses.start(dir, 3, Map.of("SEALROOM_WS_SENDRATEPERSECOND", String.valueOf(RATE),
        "SEALROOM_E2E_MINKDFITERATIONS", String.valueOf(ITER)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Api api(int node) {
    return cluster.api(node);
  }

  /** A fresh token of the user from another node (a login there: one more session). */
  private static String loginOn(int node, Api.User u) {
    Api.Res r = api(node).login(u.username(), "password-" + u.username());
    assertEquals(200, r.status(), r.raw());
    return r.json().getString("token");
  }

  private static WsClient subscribed(int node, String token, String rid) throws Exception {
    return ClusterClients.subscribed(cluster.wsUrl(node), token, rid);
  }

  @Test
  @Order(1)
  void healthReportsTheClusterAndTheStore() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < cluster.size(); i++) {
      JsonObject h = cluster.health(i);
      assertEquals("ok", h.getString("status"), h.encode());
      assertEquals("up", h.getString("store"));
      JsonObject c = h.getJsonObject("cluster");
      assertEquals(true, c.getBoolean("enabled"));
      assertEquals("joined", c.getString("state"));
      assertEquals(3, c.getInteger("size"), c.encode());
      ids.add(c.getString("node"));
      long self = c.getJsonArray("members").stream().filter(m -> ((JsonObject) m).getBoolean("self")).count();
      assertEquals(1, self);
    }
    assertEquals(3, ids.size(), "three distinct members");
    String metrics = api(2).get("/metrics", null).raw();
    assertTrue(metrics.contains("sealroom_cluster_members 3.0"), "each node's /metrics counts the members");
  }

  @Test
  @Order(2)
  void aMessageReachesEverySubscriberOnEveryNodeExactlyOnce() throws Exception {
    Api.User owner = api(0).newUser("owner");
    List<Api.User> readers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      readers.add(api(i % 3).newUser("reader" + i));
    }
    Api.User second = api(1).newUser("second");
    List<String> members = new ArrayList<>(readers.stream().map(Api.User::username).toList());
    members.add(second.username());
    String rid = api(0).createRoom(owner, "p", "everywhere", members);
    List<WsClient> subs = new ArrayList<>();
    try {
      for (int i = 0; i < readers.size(); i++) {
        // a token from the node the user registered on is good on any node (one signing key)
        subs.add(subscribed((i + 1) % 3, readers.get(i).token(), rid));
      }
      int perSender = 100;
      try (WsClient a = WsClient.authed(cluster.wsUrl(0), owner.token());
          WsClient b = WsClient.authed(cluster.wsUrl(2), second.token())) {
        for (int i = 0; i < perSender; i++) {
          a.send(send(rid, "a-" + i, "from node 0: " + i));
          b.send(send(rid, "b-" + i, "from node 2: " + i));
        }
        awaitAcks(a, perSender);
        awaitAcks(b, perSender);
      }
      int total = 2 * perSender;
      for (int i = 0; i < subs.size(); i++) {
        Map<Long, Integer> seen = new java.util.TreeMap<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (seen.size() < total && System.currentTimeMillis() < deadline) {
          JsonObject f = subs.get(i).poll(200);
          if (f != null && "msg".equals(f.getString("op"))) {
            seen.merge(f.getLong("seq"), 1, Integer::sum);
          }
        }
        // anything delivered twice shows up within the next moment
        for (JsonObject f : subs.get(i).drain(500)) {
          if ("msg".equals(f.getString("op"))) {
            seen.merge(f.getLong("seq"), 1, Integer::sum);
          }
        }
        assertEquals(total, seen.size(), "subscriber " + i + " on node " + (i + 1) % 3 + " got every seq");
        for (long s = 2; s <= total + 1; s++) { // seq 1 is room.created, before the subscriptions
          assertEquals(1, seen.get(s), "subscriber " + i + ": seq " + s + " exactly once");
        }
      }
    } finally {
      subs.forEach(WsClient::close);
    }
  }

  @Test
  @Order(3)
  void throughTheLoadBalancerOfTheComposeFile() throws Exception {
    try (LoadBalancer lb = LoadBalancer.start(cluster.httpPorts(), dir.resolve("nginx"))) {
      Api api = new Api(lb.baseUrl());
      assertEquals("ok", api.get("/health", null).json().getString("status"));
      Api.User alice = api.newUser("lb-alice");
      Api.User bob = api.newUser("lb-bob");
      String rid = api.createRoom(alice, "p", "balanced", List.of(bob.username()));
      // least_conn spreads the sockets over the nodes; the message crosses whichever nodes they landed on
      List<WsClient> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          WsClient c = WsClient.authed(lb.wsUrl(), bob.token());
          c.send(new JsonObject().put("op", "sub").put("room", rid));
          c.awaitOp("subbed", 10);
          sockets.add(c);
        }
        try (WsClient sender = WsClient.authed(lb.wsUrl(), alice.token())) {
          sender.send(send(rid, "via-lb", "through nginx"));
          assertEquals(2L, awaitAcks(sender, 1).get(0), "after room.created");
        }
        for (WsClient c : sockets) {
          assertEquals("through nginx", c.awaitOp("msg", 10).getString("text"));
        }
      } finally {
        sockets.forEach(WsClient::close);
      }
      // files stream through the balancer both ways, past nginx's 1 MB limit for other bodies,
      // and are read from whichever node (GridFS in the shared store)
      io.sealroom.testing.FileApi files = new io.sealroom.testing.FileApi(lb::baseUrl);
      byte[] big = new byte[5_000_000];
      new java.util.Random(5).nextBytes(big);
      io.sealroom.testing.FileApi.Res up = files.upload(alice.token(), rid, big, "big.bin", null);
      assertEquals(201, up.status(), new String(up.body()));
      String fid = up.file().getString("id");
      assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", alice.token(), new JsonObject()
          .put("cid", "lb-file").put("files", new io.vertx.core.json.JsonArray().add(fid))).status());
      for (int i = 0; i < 3; i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(big, files.download(bob.token(), fid).body());
      }
    }
  }

  @Test
  @Order(4)
  void concurrentSendersOnDifferentNodesGetGapFreeSeqs() throws Exception {
    Api.User owner = api(0).newUser("seqowner");
    List<Api.User> senders = List.of(api(0).newUser("s0"), api(1).newUser("s1"), api(2).newUser("s2"));
    String rid = api(0).createRoom(owner, "p", "numbered", senders.stream().map(Api.User::username).toList());
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CyclicBarrier together = new CyclicBarrier(3);
      List<Future<List<Long>>> acks = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int node = n;
        acks.add(pool.submit(() -> {
          try (WsClient c = WsClient.authed(cluster.wsUrl(node), senders.get(node).token())) {
            together.await();
            for (int i = 0; i < each; i++) {
              c.send(send(rid, "n" + node + "-" + i, "node " + node + " message " + i));
            }
            return awaitAcks(c, each);
          }
        }));
      }
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> f : acks) {
        List<Long> mine = f.get(60, TimeUnit.SECONDS);
        for (int i = 1; i < mine.size(); i++) {
          assertTrue(mine.get(i) > mine.get(i - 1), "one sender's messages keep its order");
        }
        all.addAll(mine);
      }
      assertEquals(3 * each, all.size(), "no seq given twice");
      for (long s = 2; s <= 3 * each + 1; s++) { // seq 1 is room.created
        assertTrue(all.contains(s), "seq " + s + " given (no gap)");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Api.User withKeys(int node, String prefix) {
    Api.User u = api(node).newUser(prefix);
    Api.Res put = api(node).call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode());
    assertEquals(200, put.status(), put.raw());
    return u;
  }

  @Test
  @Order(5)
  void concurrentKeyIdEstablishmentOnDifferentNodesHasOneWinner() throws Exception {
    for (int round = 0; round < 5; round++) {
      List<Api.User> users = List.of(withKeys(0, "k0"), withKeys(1, "k1"), withKeys(2, "k2"));
      JsonObject body = new JsonObject().put("type", "p").put("name", "vault").put("encrypted", true)
          .put("members", new JsonArray(List.of(users.get(1).username(), users.get(2).username())));
      String rid = api(0).post("/api/v1/rooms", users.get(0).token(), body).json().getString("id");
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        CyclicBarrier together = new CyclicBarrier(3);
        List<Future<Api.Res>> answers = new ArrayList<>();
        List<String> kids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
          int node = n;
          String kid = E2eShapes.kid();
          kids.add(kid);
          answers.add(pool.submit(() -> {
            together.await();
            return api(node).post("/api/v1/rooms/" + rid + "/e2e/key-id", users.get(node).token(),
                new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid)));
          }));
        }
        String winner = null;
        int wins = 0;
        List<Api.Res> losers = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
          Api.Res r = answers.get(n).get(30, TimeUnit.SECONDS);
          if (r.status() == 200) {
            wins++;
            winner = kids.get(n);
          } else {
            assertEquals(409, r.status(), r.raw());
            assertEquals("key_id_exists", r.errorCode());
            losers.add(r);
          }
        }
        assertEquals(1, wins, "round " + round + ": exactly one winner");
        for (Api.Res r : losers) {
          assertEquals(winner, r.json().getJsonObject("error").getString("kid"), "a loser learns the winner's kid");
        }
        for (int n = 0; n < 3; n++) {
          JsonObject room = api(n).get("/api/v1/rooms/" + rid, users.get(n).token()).json();
          assertEquals(winner, room.getString("e2eKeyId"), "node " + n + " sees the winner");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  @Order(6)
  void theSendRateHoldsPerUserAcrossNodes() throws Exception {
    Api.User u = api(0).newUser("chatty");
    String rid = api(0).createRoom(u, "p", "rate", List.of());
    String[] tokens = {u.token(), loginOn(1, u)};
    int each = 600;
    AtomicInteger stored = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    long start = System.nanoTime();
    try {
      CyclicBarrier together = new CyclicBarrier(2);
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < 2; n++) {
        int node = n;
        done.add(pool.submit(() -> {
          try (WsClient c = WsClient.authed(cluster.wsUrl(node), tokens[node])) {
            together.await();
            for (int i = 0; i < each && !c.isClosed(); i++) {
              c.send(send(rid, "r" + node + "-" + i, "hello"));
            }
            // every send is answered, until the socket is closed for sending too fast
            for (int answered = 0; answered < each; answered++) {
              JsonObject f = c.poll(10_000);
              if (f == null) {
                break;
              }
              if ("ack".equals(f.getString("op"))) {
                stored.incrementAndGet();
              } else if ("error".equals(f.getString("op"))) {
                assertEquals("rate_limited", f.getString("code"), f.encode());
                limited.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // one budget for the user: ten seconds' worth plus what refills while the test runs
    double allowed = RATE * 10 + RATE * seconds + 2;
    assertTrue(stored.get() <= allowed, "stored " + stored + " of " + 2 * each + " in " + seconds + " s; one budget allows "
        + allowed + " (per node it would be twice the burst)");
    assertTrue(limited.get() > 0, "the user's sends over two nodes were limited");
  }

  @Test
  @Order(7)
  void failedLoginsAreCountedAcrossNodes() {
    Api.User u = api(0).newUser("guessed");
    for (int i = 0; i < 10; i++) {
      Api.Res r = api(i % 3).login(u.username(), "wrong-" + i);
      assertEquals(400, r.status(), "attempt " + i + ": " + r.raw());
    }
    Api.Res right = api(2).login(u.username(), "password-" + u.username());
    assertEquals(429, right.status(), "ten failures spread over three nodes hit the per-username limit: " + right.raw());
  }

  @Test
  @Order(8)
  void aKeyResetOnOneNodeClosesTheUsersSocketsOnTheOthers() throws Exception {
    Api.User u = withKeys(0, "resetter");
    String onNode1 = loginOn(1, u);
    String onNode2 = loginOn(2, u);
    try (WsClient other1 = WsClient.authed(cluster.wsUrl(1), onNode1);
        WsClient other2 = WsClient.authed(cluster.wsUrl(2), onNode2);
        WsClient same = WsClient.authed(cluster.wsUrl(2), u.token())) {
      Api.Res reset = api(0).call("DELETE", "/api/v1/e2e/keys", u.token(),
          new JsonObject().put("password", "password-" + u.username()).encode());
      assertEquals(200, reset.status(), reset.raw());
      assertEquals(4001, other1.awaitClose(10), "the socket of another session on node 1 is closed");
      assertEquals(4001, other2.awaitClose(10), "the socket of another session on node 2 is closed");
      same.send(new JsonObject().put("op", "ping").put("ref", 1));
      assertEquals("pong", same.awaitOp("pong", 5).getString("op"), "the resetting session's socket stays open");
      assertEquals(401, api(1).get("/api/v1/me", onNode1).status(), "the ended session's token is refused on node 1");
    }
  }
}
