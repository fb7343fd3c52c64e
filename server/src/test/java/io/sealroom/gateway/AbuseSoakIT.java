package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.sealroom.testing.RawWs;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds of every abuse at once against a node process (ping floods that never read,
 * connections closed before subbed, subscribers that stop reading, slowloris): after each
 * round, once the clients are gone, the node is back at its baseline. Open connections and
 * registered subscriptions are 0, its open sockets are the baseline's, and its RSS stays
 * within {@link #RSS_MARGIN_MB} MB of the RSS after the first (warm-up) round. The heap is
 * fixed and pre-touched, so RSS growth is memory held outside it (direct buffers, threads).
 * {@code -Dsealroom.soak.rounds=N} runs a longer soak (default 4 rounds, about a minute).
 */
class AbuseSoakIT {
  static final long RSS_MARGIN_MB = 96;

  @TempDir
  Path dir;

  @Test
  void everyRoundOfAbuseLeavesTheNodeAtItsBaseline() throws Exception {
    int rounds = Integer.getInteger("sealroom.soak.rounds", 4);
    int port = JarProcess.freePort();
    Map<String, String> env = Map.of(
        "JAVA_TOOL_OPTIONS", "-XX:+UseParallelGC -Xms384m -Xmx384m -XX:+AlwaysPreTouch",
        "SEALROOM_STORE_DATADIR", dir.resolve("data").toString(),
        "SEALROOM_WS_MAXQUEUEDBYTES", "65536", "SEALROOM_WS_CLOSETIMEOUTMS", "1000",
        "SEALROOM_WS_AUTHTIMEOUTMS", "60000", "SEALROOM_HTTP_HEADERSTIMEOUTMS", "1000",
        "SEALROOM_HTTP_IDLETIMEOUTMS", "1500");
    try (JarProcess node = JarProcess.start(port, env, dir.resolve("node.log"))) {
      Api api = new Api(node.baseUrl());
      long pid = node.process().pid();
      Api.User owner = api.newUser("soak");
      List<Api.User> readers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        readers.add(api.newUser("soakr"));
      }
      String rid = api.createRoom(owner, "p", "soak", readers.stream().map(Api.User::username).toList());
      long baseRss = 0;
      int baseSockets = 0;
      for (int round = 1; round <= rounds; round++) {
        abuse(port, api, owner, readers, rid, round);
        assertEquals(0, api.awaitGauge("sealroom_connections", 0, 10_000), "round " + round + ": connections");
        assertEquals(0, api.awaitGauge("sealroom_user_connections", 0, 5000), "round " + round);
        assertEquals(0, api.awaitGauge("sealroom_room_subscriptions", 0, 5000), "round " + round);
        assertTrue(api.gauge("sealroom_http_connections") < 5, "round " + round + ": only this test's REST connections");
        Thread.sleep(500);
        long rss = rssMb(pid);
        int sockets = sockets(pid);
        System.out.printf("soak round %d: rss %d MB, sockets %d%n", round, rss, sockets);
        if (round == 1) {
          baseRss = rss;
          baseSockets = sockets;
        } else {
          assertTrue(rss <= baseRss + RSS_MARGIN_MB, "round " + round + ": RSS " + rss + " MB, baseline " + baseRss + " MB");
          assertTrue(sockets <= baseSockets, "round " + round + ": " + sockets + " sockets open, baseline " + baseSockets);
        }
      }
    }
  }

  private static void abuse(int port, Api api, Api.User owner, List<Api.User> readers, String rid, int round)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      jobs.add(pool.submit(() -> pingFlood(port)));
      jobs.add(pool.submit(() -> churn(port, owner, rid)));
      jobs.add(pool.submit(() -> slowReaders(port, api, owner, readers, rid, round)));
      jobs.add(pool.submit(() -> slowloris(port)));
      for (Future<?> j : jobs) {
        j.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void pingFlood(int port) throws IOException {
    for (int n = 0; n < 2; n++) {
      try (RawWs flood = new RawWs(port, 4096, null)) {
        for (int i = 0; i < 40; i++) {
          flood.sendFrames(9, new byte[125], 10_000);
        }
      } catch (IOException cut) {
        // dropped by the node
      }
    }
    return null;
  }

  private static Void churn(int port, Api.User u, String rid) throws IOException {
    for (int i = 0; i < 100; i++) {
      try (RawWs ws = new RawWs(port, 0, null)) {
        ws.sendText(new JsonObject().put("op", "auth").put("token", u.token()).encode());
        ws.read();
        ws.sendText(new JsonObject().put("op", "sub").put("room", rid).encode());
      }
    }
    return null;
  }

  private static Void slowReaders(int port, Api api, Api.User owner, List<Api.User> readers, String rid, int round)
      throws Exception {
    List<RawWs> stalled = new ArrayList<>();
    try (WsClient sender = WsClient.authed("ws://127.0.0.1:" + port + "/ws", owner.token())) {
      for (Api.User r : readers) {
        RawWs ws = new RawWs(port, 4096, null);
        ws.sendText(new JsonObject().put("op", "auth").put("token", r.token()).encode());
        ws.read();
        ws.sendText(new JsonObject().put("op", "sub").put("room", rid).encode());
        ws.read();
        stalled.add(ws);
      }
      String text = "s".repeat(8000);
      for (int i = 0; i < 1000; i++) {
        sender.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "r" + round + "-" + i).put("text", text));
      }
      sender.await(f -> "ack".equals(f.getString("op")) && ("r" + round + "-999").equals(f.getString("cid")), 60);
      long deadline = System.currentTimeMillis() + 10_000;
      for (RawWs ws : stalled) {
        drainUntilEnd(ws.input(), deadline);
      }
    } finally {
      for (RawWs ws : stalled) {
        ws.close();
      }
    }
    return null;
  }

  private static void drainUntilEnd(InputStream in, long deadline) {
    byte[] sink = new byte[65536];
    try {
      while (System.currentTimeMillis() < deadline && in.read(sink) >= 0) {
        // the node closes it; until then whatever was queued arrives
      }
    } catch (IOException e) {
      // reset by the node
    }
  }

  private static Void slowloris(int port) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (i % 2 == 1) {
          s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        }
        sockets.add(s);
      }
      for (Socket s : sockets) {
        s.setSoTimeout(5000);
        drainUntilEnd(s.getInputStream(), System.currentTimeMillis() + 5000);
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    return null;
  }

  static long rssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  /** Open sockets of the process (its listening and store sockets included). */
  static int sockets(long pid) throws IOException {
    int n = 0;
    try (var fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            n++;
          }
        } catch (IOException gone) {
          // closed while listing
        }
      }
    }
    return n;
  }
}
