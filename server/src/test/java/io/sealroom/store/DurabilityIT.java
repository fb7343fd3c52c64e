package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: the packaged server is killed with SIGKILL while sends are in
 * flight, right after a given number of acks arrived; after a restart on the same data directory
 * every acknowledged message is there, with its seq, cid and text.
 */
class DurabilityIT {
  @TempDir
  Path tmp;

  @Test
  void everyAckedMessageSurvivesKillMinus9() throws Exception {
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("server.log");
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", data.toString());
    int port = JarProcess.freePort();
    int sent = 600;
    int killAfter = 400;
    Map<String, Long> acked = new ConcurrentHashMap<>();
    Api.User user;
    String rid;
    try (JarProcess server = JarProcess.start(port, env, log)) {
      Api api = new Api(server.baseUrl());
      user = api.newUser("durable");
      rid = api.createRoom(user, "p", "vault", List.of());
      CompletableFuture<Void> enough = new CompletableFuture<>();
      AtomicInteger pongs = new AtomicInteger();
      List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
              errors.add("closed " + code + " " + reason);
              return null;
            }

            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence text, boolean last) {
              partial.append(text);
              w.request(1);
              if (!last) {
                return null;
              }
              JsonObject f = new JsonObject(partial.toString());
              partial.setLength(0);
              if ("pong".equals(f.getString("op"))) {
                pongs.incrementAndGet();
              }
              if ("error".equals(f.getString("op"))) {
                errors.add(f.encode());
              }
              if ("ack".equals(f.getString("op"))) {
                acked.put(f.getString("cid"), f.getLong("seq"));
                if (acked.size() >= killAfter) {
                  enough.complete(null);
                }
              }
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      ws.sendText(new JsonObject().put("op", "auth").put("token", user.token()).encode(), true).join();
      for (int i = 0; i < sent; i++) {
        ws.sendText(new JsonObject().put("op", "send").put("room", rid).put("cid", "k" + i)
            .put("text", "payload " + i).encode(), true).join();
      }
      try {
        enough.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.out.println(stallReport(server, log, api, user, rid, ws, acked, pongs, sent));
        throw new AssertionError("only " + acked.size() + " acks; errors: " + errors.subList(0, Math.min(3, errors.size())));
      }
      server.kill9();
    }
    Map<String, Long> ackedAtKill = new HashMap<>(acked);
    assertTrue(ackedAtKill.size() >= killAfter);

    try (JarProcess restarted = JarProcess.start(port, env, log)) {
      Api api = new Api(restarted.baseUrl());
      Map<String, JsonObject> stored = new HashMap<>();
      long after = 0;
      while (true) {
        JsonObject page = api.get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=200", user.token()).json();
        List<Object> msgs = page.getJsonArray("messages").getList();
        if (msgs.isEmpty()) {
          break;
        }
        for (Object o : page.getJsonArray("messages")) {
          JsonObject m = (JsonObject) o;
          stored.put(m.getString("cid"), m);
          after = m.getLong("seq");
        }
      }
      for (Map.Entry<String, Long> a : ackedAtKill.entrySet()) {
        JsonObject m = stored.get(a.getKey());
        assertTrue(m != null, "acked message " + a.getKey() + " lost (acked " + ackedAtKill.size() + ", stored " + stored.size() + ")");
        assertEquals(a.getValue(), m.getLong("seq"));
        assertEquals("payload " + a.getKey().substring(1), m.getString("text"));
      }
      System.out.printf("durability: sent %d, acked before kill -9 %d, stored after restart %d, lost 0%n",
          sent, ackedAtKill.size(), stored.size());
    }
  }

  /** What a stalled run looked like from both sides: acks here, the store and counters there, whether the socket still reads. */
  private static String stallReport(JarProcess server, Path log, Api api, Api.User user, String rid, WebSocket ws,
      Map<String, Long> acked, AtomicInteger pongs, int sent) {
    StringBuilder r = new StringBuilder("DurabilityIT: stalled at " + acked.size() + " acks\n");
    List<Integer> missing = new java.util.ArrayList<>();
    for (int i = 0; i < sent; i++) {
      if (!acked.containsKey("k" + i)) {
        missing.add(i);
      }
    }
    r.append("first unacked cids: ").append(missing.stream().limit(10).toList()).append('\n');
    try {
      int before = pongs.get();
      ws.sendText(new JsonObject().put("op", "ping").put("ref", "stall").encode(), true).get(5, TimeUnit.SECONDS);
      Thread.sleep(2000);
      r.append("pong after the stall: ").append(pongs.get() > before).append('\n');
      JsonObject last = api.get("/api/v1/rooms/" + rid + "/messages?limit=1", user.token()).json();
      r.append("newest stored: ").append(last.encode()).append('\n');
      String metrics = api.get("/metrics", null).raw();
      metrics.lines().filter(l -> l.startsWith("sealroom_")).forEach(l -> r.append(l).append('\n'));
    } catch (Exception e) {
      r.append("(report incomplete: ").append(e).append(")\n");
    }
    r.append("end of the server's log:\n").append(JarProcess.tail(log, 40)).append('\n');
    return r.append("the server's threads:\n").append(server.threadDump()).toString();
  }
}
