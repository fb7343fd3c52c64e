package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.sealroom.testing.StoreJar;
import io.sealroom.testing.TestNode;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the store is down, requests answer 503 {@code unavailable} within
 * {@code store.opTimeoutMs} (plus a little) instead of hanging on the driver's own timeouts, and
 * the node serves again once the store is back. A node in this JVM on the store process
 * ({@code sealroom.jar store}), which is either killed (connections refused) or suspended with
 * SIGSTOP (connections open, nothing answered: only a deadline of the node's own ends the wait).
 * Every send refused meanwhile is retried with its cid afterwards: each is stored exactly once,
 * and a send the suspended store took in before it stopped is answered with its stored seq.
 */
class StoreOutageIT {
  private static final int OP_TIMEOUT_MS = 2000;
  /** What an answer may take beyond the deadline: the request's own work, a loaded CI machine. */
  private static final long SLACK_MS = 1500;
  private static final long BOUND_MS = OP_TIMEOUT_MS + SLACK_MS;
  private static final String PASSWORD_PREFIX = "password-";

  @TempDir
  Path tmp;

  @Test
  void aKilledStoreIsAnsweredUnavailableWithinTheDeadlineAndTheNodeServesWhenItIsBack() throws Exception {
    outage(false);
  }

  @Test
  void aSuspendedStoreIsAnsweredUnavailableWithinTheDeadlineAndTheNodeServesWhenItIsBack() throws Exception {
    outage(true);
  }

  /**
   * Sends queued on one socket behind a send held up by the store, to a room whose checks are
   * not cached yet (each needs a store read): each is answered by the deadline counted from its
   * own arrival, not one deadline after the one before it.
   */
  @Test
  void queuedSendsToARoomNotCheckedYetAreEachAnsweredByTheirOwnDeadline() throws Exception {
    int port = JarProcess.freePort();
    StoreJar store = StoreJar.start(port, tmp.resolve("store2").toString(), tmp.resolve("store2.log"));
    try (TestNode node = TestNode.start(Map.of("mongo.uri", store.uri(), "store.opTimeoutMs", OP_TIMEOUT_MS))) {
      Api api = node.api();
      Api.User alice = api.newUser("alice");
      String rid = api.createRoom(alice, "p", "cold", List.of());
      WsClient ws = WsClient.authed(node, alice);
      store.kill9();
      int n = 5;
      long[] sentAt = new long[n];
      for (int i = 0; i < n; i++) {
        sentAt[i] = System.nanoTime();
        ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "cold-" + i).put("text", "t").put("ref", i + 1));
        Thread.sleep(150);
      }
      Map<Integer, Long> tookMs = new HashMap<>();
      long waitUntil = System.nanoTime() + 30_000_000_000L;
      while (tookMs.size() < n && System.nanoTime() < waitUntil) {
        JsonObject f = ws.poll(500);
        if (f != null && f.getValue("ref") instanceof Integer ref && ref >= 1 && ref <= n) {
          assertEquals("unavailable", f.getString("code"), f.encode());
          tookMs.put(ref, (System.nanoTime() - sentAt[ref - 1]) / 1_000_000);
        }
      }
      assertEquals(n, tookMs.size(), "every send answered: " + tookMs);
      tookMs.forEach((ref, ms) -> assertTrue(ms <= BOUND_MS, "send " + ref + " answered after " + ms + " ms: " + tookMs));
      ws.close();
    } finally {
      store.close();
    }
  }

  private void outage(boolean suspend) throws Exception {
    int port = JarProcess.freePort();
    String data = tmp.resolve("store").toString();
    Path log = tmp.resolve("store.log");
    StoreJar store = StoreJar.start(port, data, log);
    try (TestNode node = TestNode.start(Map.of("mongo.uri", store.uri(), "store.opTimeoutMs", OP_TIMEOUT_MS))) {
      Api api = node.api();
      Api.User alice = api.newUser("alice");
      String rid = api.createRoom(alice, "p", "outage", List.of());
      assertEquals(201, send(api, alice, rid, "before").status());
      WsClient ws = WsClient.authed(node, alice);
      ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "ws-before").put("text", "t").put("ref", 0));
      assertEquals("ack", ws.await(f -> Integer.valueOf(0).equals(f.getValue("ref")), 10).getString("op"));

      if (suspend) {
        store.suspend();
      } else {
        store.kill9();
      }
      List<String> refused = new ArrayList<>();

      Timed rooms = timed(() -> api.get("/api/v1/rooms", alice.token()));
      rooms.assertUnavailable("GET /api/v1/rooms");
      Timed login = timed(() -> api.login(alice.username(), PASSWORD_PREFIX + alice.username()));
      login.assertUnavailable("POST /api/v1/auth/login");
      Timed rest = timed(() -> send(api, alice, rid, "rest-1"));
      rest.assertUnavailable("REST send");
      refused.add("rest-1");

      // sends over one socket a moment apart: the later ones wait behind the first one's store
      // round trip, and each is answered within the deadline of its own start all the same
      int n = 5;
      long[] sentAt = new long[n];
      for (int i = 0; i < n; i++) {
        sentAt[i] = System.nanoTime();
        ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "ws-" + i).put("text", "t" + i)
            .put("ref", i + 1));
        Thread.sleep(150);
      }
      Map<Integer, JsonObject> answers = new HashMap<>();
      Map<Integer, Long> tookMs = new HashMap<>();
      long waitUntil = System.nanoTime() + 40_000_000_000L;
      while (answers.size() < n && System.nanoTime() < waitUntil) {
        JsonObject f = ws.poll(500);
        if (f != null && f.getValue("ref") instanceof Integer ref && ref >= 1 && ref <= n) {
          answers.put(ref, f);
          tookMs.put(ref, (System.nanoTime() - sentAt[ref - 1]) / 1_000_000);
        }
      }
      for (int ref = 1; ref <= n; ref++) {
        JsonObject f = answers.get(ref);
        assertTrue(f != null, "WS send " + ref + " answered; answers " + answers + " after " + tookMs);
        assertEquals("error", f.getString("op"), f.encode());
        assertEquals("unavailable", f.getString("code"), f.encode());
        assertEquals("ws-" + (ref - 1), f.getString("cid"), f.encode());
        assertTrue(tookMs.get(ref) <= BOUND_MS, "WS send " + ref + " answered after " + tookMs.get(ref) + " ms: " + tookMs);
        refused.add("ws-" + (ref - 1));
      }
      System.out.printf("store %s: GET rooms %d ms, login %d ms, REST send %d ms, WS sends %s ms%n",
          suspend ? "suspended" : "killed", rooms.ms, login.ms, rest.ms, tookMs.values());
      Timed health = timed(() -> api.get("/health", null));
      assertEquals(503, health.res.status(), health.res.raw());
      assertTrue(health.ms <= BOUND_MS, "/health took " + health.ms + " ms");

      if (suspend) {
        store.resume();
      } else {
        store = StoreJar.start(port, data, log);
      }
      awaitHealthy(api);
      assertEquals(200, api.get("/api/v1/rooms", alice.token()).status());
      assertEquals(200, api.login(alice.username(), PASSWORD_PREFIX + alice.username()).status());
      // a store that was suspended may have taken in an insert before it stopped: stored, not acknowledged
      System.out.printf("store %s: stored before the retries: %d of %d refused sends%n", suspend ? "suspended" : "killed",
          history(api, alice, rid).stream().filter(m -> refused.contains(m.getString("cid"))).count(), refused.size());
      // every refused send retried with its cid: stored once, and the ack names the stored seq
      Map<String, Long> acked = new HashMap<>();
      for (String cid : refused) {
        Api.Res r = cid.startsWith("ws-") ? wsSend(ws, rid, cid) : send(api, alice, rid, cid);
        assertEquals(201, r.status(), cid + ": " + r.raw());
        acked.put(cid, r.json().getLong("seq"));
      }
      List<JsonObject> stored = history(api, alice, rid);
      Map<String, Long> byCid = new HashMap<>();
      for (int i = 0; i < stored.size(); i++) {
        JsonObject m = stored.get(i);
        assertEquals(i + 1L, m.getLong("seq"), "gap-free seqs: " + stored);
        assertEquals(null, byCid.put(m.getString("cid"), m.getLong("seq")), "each cid stored once: " + stored);
      }
      acked.forEach((cid, seq) -> assertEquals(seq, byCid.get(cid), "the ack of " + cid + " names its stored seq"));
      assertEquals(refused.size() + 3, stored.size(), "room.created, the two sends before and each refused one: " + stored);
      ws.close();
    } finally {
      store.close();
    }
  }

  private record Timed(Api.Res res, long ms) {
    void assertUnavailable(String what) {
      assertEquals(503, res.status(), what + ": " + res.raw());
      assertEquals("unavailable", res.errorCode(), what + ": " + res.raw());
      assertTrue(ms <= BOUND_MS, what + " answered after " + ms + " ms (store.opTimeoutMs " + OP_TIMEOUT_MS + ")");
    }
  }

  /** The call's answer and how long it took; a call that got no answer in time is status -1. */
  private static Timed timed(Callable<Api.Res> call) {
    long start = System.nanoTime();
    Api.Res r;
    try {
      r = call.call();
    } catch (Exception e) {
      r = new Api.Res(-1, String.valueOf(e));
    }
    return new Timed(r, (System.nanoTime() - start) / 1_000_000);
  }

  private static Api.Res send(Api api, Api.User u, String rid, String cid) {
    return api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", "text of " + cid));
  }

  /** A send over the socket, its answer as a REST-like result (201 with the ack, or 503 with the error). */
  private static Api.Res wsSend(WsClient ws, String rid, String cid) throws InterruptedException {
    String ref = "retry-" + cid;
    ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", cid).put("text", "text of " + cid).put("ref", ref));
    JsonObject f = ws.await(x -> ref.equals(x.getValue("ref")), 30);
    return new Api.Res("ack".equals(f.getString("op")) ? 201 : 503, f.encode());
  }

  private static void awaitHealthy(Api api) throws InterruptedException {
    long until = System.currentTimeMillis() + 60_000;
    Api.Res h = null;
    while (System.currentTimeMillis() < until) {
      h = timed(() -> api.get("/health", null)).res;
      if (h.status() == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the node did not report the store up again: " + (h == null ? null : h.raw()));
  }

  private static List<JsonObject> history(Api api, Api.User u, String rid) {
    List<JsonObject> out = new ArrayList<>();
    long after = 0;
    while (true) {
      Api.Res r = api.get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=100", u.token());
      assertEquals(200, r.status(), r.raw());
      JsonArray page = r.json().getJsonArray("messages");
      if (page.isEmpty()) {
        return out;
      }
      page.forEach(m -> out.add((JsonObject) m));
      after = out.get(out.size() - 1).getLong("seq");
    }
  }
}
