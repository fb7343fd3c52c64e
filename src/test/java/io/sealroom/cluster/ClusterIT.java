package io.sealroom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.ClusterProcesses;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.LoadBalancer;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * machine. Every guarantee of one node holds across nodes: fan-out exactly once, gap-free seqs,
 * one winner of a room key id, rate limits per user, session revocation, and (last, because it
 * kills and restarts a node) nothing acknowledged lost when a node dies under load.
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
    WsClient c = WsClient.authed(cluster.wsUrl(node), token);
    c.send(new JsonObject().put("op", "sub").put("room", rid));
    c.awaitOp("subbed", 10);
    return c;
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
        for (long s = 1; s <= total; s++) {
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
          assertEquals(1L, awaitAcks(sender, 1).get(0));
        }
        for (WsClient c : sockets) {
          assertEquals("through nginx", c.awaitOp("msg", 10).getString("text"));
        }
      } finally {
        sockets.forEach(WsClient::close);
      }
    }
  }

  private static JsonObject send(String rid, String cid, String text) {
    return new JsonObject().put("op", "send").put("room", rid).put("cid", cid).put("text", text);
  }

  private static List<Long> awaitAcks(WsClient c, int n) throws InterruptedException {
    List<Long> seqs = new ArrayList<>();
    while (seqs.size() < n) {
      JsonObject f = c.await(x -> "ack".equals(x.getString("op")) || "error".equals(x.getString("op")), 30);
      assertEquals("ack", f.getString("op"), f.encode());
      seqs.add(f.getLong("seq"));
    }
    return seqs;
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
      for (long s = 1; s <= 3 * each; s++) {
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

  /** Sends its messages one after the other, moving to another node (and resending the unacked cid) when its node dies. */
  private static final class Sender implements Runnable {
    final String name;
    final String token;
    final String rid;
    final int count;
    int node;
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final AtomicInteger reconnects = new AtomicInteger();
    volatile String failure;

    Sender(String name, String token, String rid, int count, int node) {
      this.name = name;
      this.token = token;
      this.rid = rid;
      this.count = count;
      this.node = node;
    }

    @Override
    public void run() {
      WsClient c = null;
      try {
        int i = 0;
        while (i < count) {
          if (c == null) {
            c = WsClient.authed(cluster.wsUrl(node), token);
          }
          String cid = name + "-" + i;
          c.send(send(rid, cid, "load " + cid));
          JsonObject ack = awaitAck(c, cid);
          if (ack == null) {
            c.close();
            c = null;
            node = nextNode(node);
            reconnects.incrementAndGet();
            continue; // the same cid again on another node: stored at most once
          }
          acked.put(cid, ack.getLong("seq"));
          i++;
          Thread.sleep(5);
        }
      } catch (Exception e) {
        failure = name + ": " + e;
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }

    private static JsonObject awaitAck(WsClient c, String cid) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        JsonObject f = c.poll(50);
        if (f != null && "ack".equals(f.getString("op")) && cid.equals(f.getString("cid"))) {
          return f;
        }
        if (f == null && c.isClosed()) {
          return null;
        }
      }
      return null;
    }
  }

  /** Follows the room; when its node dies it resumes on another node with since = the last seq it has without a gap. */
  private static final class Follower implements Runnable {
    final String token;
    final String rid;
    int node;
    final Map<Long, Integer> seen = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean stop;
    volatile String failure;

    Follower(String token, String rid, int node) {
      this.token = token;
      this.rid = rid;
      this.node = node;
    }

    long contiguous() {
      long s = 0;
      while (seen.containsKey(s + 1)) {
        s++;
      }
      return s;
    }

    @Override
    public void run() {
      WsClient c = null;
      try {
        while (!stop) {
          if (c == null) {
            since = contiguous();
            thisSubscription.clear();
            c = WsClient.authed(cluster.wsUrl(node), token);
            c.send(new JsonObject().put("op", "sub").put("room", rid).put("since", since));
          }
          JsonObject f = c.poll(50);
          if (f == null) {
            if (c.isClosed()) {
              c = null;
              node = nextNode(node);
              resumes.incrementAndGet();
            }
            continue;
          }
          if ("msg".equals(f.getString("op"))) {
            long seq = f.getLong("seq");
            seen.merge(seq, 1, Integer::sum);
            // a seq above since may come again after a resume (the client had it out of order):
            // delivered twice means twice in one subscription, or at or below its since
            if (!thisSubscription.add(seq) || seq <= since) {
              duplicates.incrementAndGet();
            }
          }
        }
      } catch (Exception e) {
        failure = "follower: " + e;
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }

    private long since;
    private final Set<Long> thisSubscription = new HashSet<>();
  }

  private static volatile int killed = -1;

  private static int nextNode(int node) {
    int n = (node + 1) % 3;
    return n == killed ? (n + 1) % 3 : n;
  }

  @Test
  @Order(9)
  void killMinus9OfANodeUnderLoadLosesNothingAcknowledged() throws Exception {
    Api.User owner = api(0).newUser("loadowner");
    List<Api.User> users = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      users.add(api(i % 3).newUser("load" + i));
    }
    String rid = api(0).createRoom(owner, "p", "under load", users.stream().map(Api.User::username).toList());
    List<Sender> senders = List.of(new Sender("s0", users.get(0).token(), rid, 300, 0),
        new Sender("s1", users.get(1).token(), rid, 300, 1), new Sender("s2", users.get(2).token(), rid, 300, 2));
    List<Follower> followers = new ArrayList<>();
    for (int i = 3; i < 9; i++) {
      followers.add(new Follower(users.get(i).token(), rid, i % 3));
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      followers.forEach(pool::submit);
      Thread.sleep(1000);
      List<Future<?>> sending = new ArrayList<>();
      senders.forEach(s -> sending.add(pool.submit(s)));
      long deadline = System.currentTimeMillis() + 30_000;
      while (senders.stream().mapToInt(s -> s.acked.size()).sum() < 150 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      killed = 1;
      cluster.kill9(1);
      for (Future<?> f : sending) {
        f.get(180, TimeUnit.SECONDS);
      }
      for (Sender s : senders) {
        assertEquals(null, s.failure);
      }
      Map<String, Long> acked = new ConcurrentHashMap<>();
      senders.forEach(s -> acked.putAll(s.acked));
      Set<Long> ackedSeqs = new HashSet<>(acked.values());
      assertEquals(acked.size(), ackedSeqs.size(), "no seq acknowledged for two messages");
      CountDownLatch caughtUp = new CountDownLatch(1);
      long until = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < until) {
        if (followers.stream().allMatch(f -> f.seen.keySet().containsAll(ackedSeqs))) {
          caughtUp.countDown();
          break;
        }
        Thread.sleep(100);
      }
      Thread.sleep(1000);
      followers.forEach(f -> f.stop = true);
      // the store: every acknowledged message, once, gap-free
      Api.User reader = users.get(3);
      Map<String, Long> stored = new java.util.HashMap<>();
      long after = 0;
      while (true) {
        JsonArray page = api(0).get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=200", reader.token())
            .json().getJsonArray("messages");
        if (page.isEmpty()) {
          break;
        }
        for (Object o : page) {
          JsonObject m = (JsonObject) o;
          assertEquals(after + 1, m.getLong("seq"), "stored seqs are gap-free");
          after = m.getLong("seq");
          assertEquals(null, stored.put(m.getString("cid"), m.getLong("seq")), "a cid stored twice: " + m.getString("cid"));
        }
      }
      for (Map.Entry<String, Long> a : acked.entrySet()) {
        assertEquals(a.getValue(), stored.get(a.getKey()), "acknowledged " + a.getKey() + " is stored with its seq");
      }
      int sent = senders.stream().mapToInt(s -> s.count).sum();
      int resent = senders.stream().mapToInt(s -> s.reconnects.get()).sum();
      for (Follower f : followers) {
        assertEquals(null, f.failure);
        assertTrue(f.seen.keySet().containsAll(ackedSeqs), "a follower misses " + missing(ackedSeqs, f.seen.keySet()));
        assertEquals(0, f.duplicates.get(), "nothing delivered twice by seq within a subscription");
      }
      assertEquals(0, caughtUp.getCount(), "every follower caught up");
      long delivered = followers.stream().mapToLong(f -> f.seen.size()).sum();
      int resumed = followers.stream().mapToInt(f -> f.resumes.get()).sum();
      System.out.printf("cluster kill -9: sent %d (%d resent on another node), acked %d, stored %d, delivered %d to %d"
          + " followers (%d resumed on another node), lost 0, duplicates 0%n", sent, resent, acked.size(), stored.size(),
          delivered, followers.size(), resumed);
      assertTrue(resumed >= 2, "the followers of the killed node resumed elsewhere");
    } finally {
      followers.forEach(f -> f.stop = true);
      pool.shutdownNow();
    }
  }

  private static List<Long> missing(Set<Long> want, Set<Long> have) {
    List<Long> m = new ArrayList<>();
    for (Long s : want) {
      if (!have.contains(s)) {
        m.add(s);
      }
    }
    java.util.Collections.sort(m);
    return m.subList(0, Math.min(10, m.size()));
  }

  @Test
  @Order(10)
  void aRestartedNodeRejoinsAndServes() throws Exception {
    if (killed < 0) {
      cluster.kill9(1);
      killed = 1;
    }
    cluster.awaitMembers(2, 30);
    cluster.restart(1);
    killed = -1;
    cluster.awaitMembers(3, 60);
    Api.User u = api(1).newUser("returning");
    Api.User other = api(0).newUser("welcomer");
    String rid = api(1).createRoom(u, "p", "back", List.of(other.username()));
    try (WsClient sub = subscribed(1, u.token(), rid);
        WsClient sender = WsClient.authed(cluster.wsUrl(0), other.token())) {
      sender.send(send(rid, "hello-1", "welcome back"));
      assertEquals(1L, awaitAcks(sender, 1).get(0));
      JsonObject m = sub.awaitOp("msg", 10);
      assertEquals("welcome back", m.getString("text"));
      assertNotEquals(null, m.getString("id"));
    }
  }
}
