package io.sealroom.cluster;

import static io.sealroom.cluster.ClusterClients.awaitAcks;
import static io.sealroom.cluster.ClusterClients.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.cluster.ClusterClients.Follower;
import io.sealroom.cluster.ClusterClients.Sender;
import io.sealroom.testing.Api;
import io.sealroom.testing.ClusterProcesses;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node of a three-node cluster (store process and node processes on loopback) dies with
 * kill -9 under load: its clients go on through another node, nothing acknowledged is lost and
 * nothing is delivered twice by seq; then the node restarts and rejoins.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
  static ClusterProcesses cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = ClusterProcesses.start(Files.createTempDirectory("sealroom-failover-it"), 3, Map.of());
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

  private static volatile int killed = -1;

  private static int nextNode(int node) {
    int n = (node + 1) % 3;
    return n == killed ? (n + 1) % 3 : n;
  }

  @Test
  @Order(1)
  void killMinus9OfANodeUnderLoadLosesNothingAcknowledged() throws Exception {
    Api.User owner = api(0).newUser("loadowner");
    List<Api.User> users = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      users.add(api(i % 3).newUser("load" + i));
    }
    String rid = api(0).createRoom(owner, "p", "under load", users.stream().map(Api.User::username).toList());
    ClusterClients.Nodes nodes = new ClusterClients.Nodes(cluster::wsUrl, ClusterFailoverIT::nextNode);
    List<Sender> senders = List.of(new Sender(nodes, "s0", users.get(0).token(), rid, 300, 0),
        new Sender(nodes, "s1", users.get(1).token(), rid, 300, 1), new Sender(nodes, "s2", users.get(2).token(), rid, 300, 2));
    List<Follower> followers = new ArrayList<>();
    for (int i = 3; i < 9; i++) {
      followers.add(new Follower(nodes, users.get(i).token(), rid, i % 3));
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
  @Order(2)
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
    try (WsClient sub = ClusterClients.subscribed(cluster.wsUrl(1), u.token(), rid);
        WsClient sender = WsClient.authed(cluster.wsUrl(0), other.token())) {
      sender.send(send(rid, "hello-1", "welcome back"));
      assertEquals(2L, awaitAcks(sender, 1).get(0), "after room.created");
      JsonObject m = sub.awaitOp("msg", 10);
      assertEquals("welcome back", m.getString("text"));
      assertNotEquals(null, m.getString("id"));
    }
  }
}
