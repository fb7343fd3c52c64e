package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.sealroom.client.crypto.MemberKey;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery of a room whose key nobody holds, against a scripted server (the race a real node
 * makes hard to hit on demand): the loser of a recovery race takes the winner's key.
 */
class KeyAgentRecoveryTest {
  static final String RID = "r1";
  static final String BASE = "/api/v1/rooms/" + RID;
  static PrivateKeys own;
  static byte[] lostKey;
  static byte[] winnersKey;
  final Map<String, Supplier<Object[]>> routes = new ConcurrentHashMap<>();
  final List<JsonObject> rotations = new CopyOnWriteArrayList<>();
  final List<String> changed = new CopyOnWriteArrayList<>();
  HttpServer server;
  KeyAgent agent;

  @BeforeAll
  static void keys() {
    own = PrivateKeys.generate();
    lostKey = RoomKeys.generate();
    winnersKey = RoomKeys.generate();
  }

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
      if (key.equals("POST " + BASE + "/e2e/rotate")) {
        rotations.add(new JsonObject(body));
      }
      Supplier<Object[]> route = routes.get(key);
      Object[] res = route == null ? new Object[] {404, error("not_found", null)} : route.get();
      byte[] out = ((JsonObject) res[1]).encode().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders((Integer) res[0], out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    Rest rest = new Rest(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.getAddress().getPort(),
        Duration.ofSeconds(5), "token");
    agent = new KeyAgent(rest, new RoomDirectory(rest), () -> own, changed::add, new FakeTrust());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static JsonObject error(String code, String kid) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", code).put("kid", kid));
  }

  static JsonObject room(String kid, List<String> holders) {
    return new JsonObject().put("id", RID).put("type", "p").put("name", "vault").put("ownerId", "alice")
        .put("encrypted", true).put("e2eKeyId", kid).put("rotationDue", false).put("head", 3)
        .put("members", new JsonArray()).put("keyHolders", new JsonArray(holders));
  }

  static JsonObject ownKey(byte[] raw) {
    return new JsonObject().put("kid", RoomKeys.kid(raw)).put("key", new JsonObject(MemberKey.wrap(raw, own.rsaPublic())))
        .put("old", new JsonArray());
  }

  @Test
  void theLoserOfARecoveryRaceTakesTheWinnersKey() {
    String lost = RoomKeys.kid(lostKey);
    String winners = RoomKeys.kid(winnersKey);
    routes.put("GET " + BASE, () -> new Object[] {200, room(lost, List.of())});
    routes.put("GET " + BASE + "/e2e/key", () -> new Object[] {404, error("no_keys", null)});
    routes.put("POST " + BASE + "/e2e/rotate", () -> {
      // another member rotated first; it has handed its key over already
      routes.put("GET " + BASE, () -> new Object[] {200, room(winners, List.of("winner", "me"))});
      routes.put("GET " + BASE + "/e2e/key", () -> new Object[] {200, ownKey(winnersKey)});
      return new Object[] {409, error("stale_key", winners)};
    });
    agent.ensure(RID);
    assertEquals(1, rotations.size());
    assertEquals(lost, rotations.get(0).getString("previousKid"), "a recovery replaces the key nobody holds");
    assertArrayEquals(winnersKey, agent.current(RID), "the winner's key, not our own");
    assertEquals(List.of(RID), changed);
    assertEquals(KeyAgent.Fate.UNAVAILABLE, agent.fate(RID, lost), "what was sealed under the lost key is lost");
    assertEquals(KeyAgent.Fate.FOUND, agent.fate(RID, winners));
  }

  @Test
  void aRecoveryThatWinsUsesItsKeyAndHandsItOver() {
    String lost = RoomKeys.kid(lostKey);
    routes.put("GET " + BASE, () -> new Object[] {200, room(lost, List.of())});
    routes.put("GET " + BASE + "/e2e/key", () -> new Object[] {404, error("no_keys", null)});
    routes.put("POST " + BASE + "/e2e/rotate", () -> {
      String kid = rotations.get(0).getString("kid");
      routes.put("GET " + BASE, () -> new Object[] {200, room(kid, List.of("me"))});
      return new Object[] {200, room(kid, List.of("me"))};
    });
    routes.put("GET " + BASE + "/e2e/waiting", () -> new Object[] {200, new JsonObject().put("users", new JsonArray())});
    agent.ensure(RID);
    assertEquals(1, rotations.size());
    String kid = rotations.get(0).getString("kid");
    assertEquals(kid, RoomKeys.kid(agent.current(RID)));
    assertEquals(KeyAgent.Fate.UNAVAILABLE, agent.fate(RID, lost));
  }

  @Test
  void aKeySomeoneHoldsIsWaitedForNotReplaced() {
    String kid = RoomKeys.kid(lostKey);
    routes.put("GET " + BASE, () -> new Object[] {200, room(kid, List.of("bob"))});
    routes.put("GET " + BASE + "/e2e/key", () -> new Object[] {404, error("no_keys", null)});
    agent.ensure(RID);
    assertEquals(List.of(), rotations);
    assertNull(agent.current(RID));
    assertEquals(KeyAgent.Fate.HOLD, agent.fate(RID, kid), "bob hands it over");
    assertEquals(List.of(), rotations);
  }
}
