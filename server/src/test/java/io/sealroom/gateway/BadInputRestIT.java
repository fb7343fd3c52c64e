package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.Bodies;
import io.sealroom.testing.ExternalMongo;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Malformed and oversized requests, unknown routes, health, metrics and a store outage. */
class BadInputRestIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();
  static Api.User alice;
  static String rid;

  @BeforeAll
  static void start() throws Exception {
    alice = api.newUser("alice");
    rid = api.createRoom(alice, "p", "team", List.of());
  }

  static void assertInvalid(Api.Res r, String field) {
    assertEquals(400, r.status(), Bodies.safe(r));
    assertEquals("invalid_request", r.errorCode(), Bodies.safe(r));
    String message = r.json().getJsonObject("error").getString("message");
    assertTrue(message.contains(field), "names " + field + ": " + message);
  }

  @Test
  void malformedJsonIsInvalidRequest() {
    for (String body : new String[] {"{", "{\"type\":", "not json", "{\"a\":1}}", "\"just a string\"", "42", "null"}) {
      Api.Res r = api.call("POST", "/api/v1/rooms", alice.token(), body);
      assertEquals(400, r.status(), body + " -> " + r.raw());
      assertEquals("invalid_request", r.errorCode(), body);
      Api.Res reg = api.call("POST", "/api/v1/auth/register", null, body);
      assertEquals(400, reg.status(), body + " -> " + Bodies.safe(reg));
      assertEquals("invalid_request", reg.errorCode(), body);
    }
    assertEquals(1, api.get("/api/v1/rooms", alice.token()).json().getJsonArray("rooms").size());
  }

  @Test
  void jsonArrayBodyIsInvalidRequest() {
    Api.Res r = api.call("POST", "/api/v1/rooms", alice.token(), "[{\"type\":\"p\",\"name\":\"x\",\"members\":[]}]");
    assertEquals(400, r.status(), r.raw());
    assertEquals("invalid_request", r.errorCode());
    Api.Res login = api.call("POST", "/api/v1/auth/login", null, "[]");
    assertEquals(400, login.status(), Bodies.safe(login));
    assertEquals("invalid_request", login.errorCode());
  }

  @Test
  void emptyBodyIsInvalidRequest() {
    Api.Res r = api.call("POST", "/api/v1/rooms/" + rid + "/messages", alice.token(), "");
    assertEquals(400, r.status(), r.raw());
    assertEquals("invalid_request", r.errorCode());
  }

  @Test
  void wrongTypedFieldsAreInvalidNamingTheField() {
    String rooms = "/api/v1/rooms";
    String room = rooms + "/" + rid;
    assertInvalid(api.call("POST", "/api/v1/auth/register", null, "{\"username\":5,\"password\":\"long enough\"}"), "username");
    assertInvalid(api.call("POST", "/api/v1/auth/register", null, "{\"username\":\"okname\",\"password\":[1]}"), "password");
    assertInvalid(api.call("POST", "/api/v1/auth/login", null, "{\"username\":{},\"password\":\"x\"}"), "username");
    assertInvalid(api.call("POST", rooms, alice.token(), "{\"type\":5,\"name\":\"n\",\"members\":[]}"), "type");
    assertInvalid(api.call("POST", rooms, alice.token(), "{\"type\":\"p\",\"name\":true,\"members\":[]}"), "name");
    assertInvalid(api.call("POST", rooms, alice.token(), "{\"type\":\"p\",\"name\":\"n\",\"members\":\"bob\"}"), "members");
    assertInvalid(api.call("POST", rooms, alice.token(), "{\"type\":\"p\",\"name\":\"n\",\"members\":[1]}"), "members");
    assertInvalid(api.call("POST", rooms, alice.token(), "{\"type\":\"p\",\"name\":\"n\",\"members\":[],\"encrypted\":\"yes\"}"),
        "encrypted");
    assertInvalid(api.call("PATCH", room, alice.token(), "{\"name\":7}"), "name");
    assertInvalid(api.call("PATCH", room, alice.token(), "{\"encrypted\":1}"), "encrypted");
    assertInvalid(api.call("POST", room + "/members", alice.token(), "{\"username\":[]}"), "username");
    assertInvalid(api.call("POST", room + "/messages", alice.token(), "{\"cid\":5,\"text\":\"t\"}"), "cid");
    assertInvalid(api.call("POST", room + "/messages", alice.token(), "{\"cid\":\"c\",\"text\":5}"), "text");
    assertInvalid(api.call("POST", room + "/messages", alice.token(), "{\"cid\":\"c\",\"e2e\":[]}"), "e2e");
    assertInvalid(api.get(room + "/messages?limit=ten", alice.token()), "limit");
    JsonObject after = api.get(room, alice.token()).json();
    assertEquals("team", after.getString("name"));
    assertEquals(false, after.getBoolean("encrypted"));
    assertEquals(1L, after.getLong("head"), "room.created only: nothing refused was stored");
  }

  @Test
  void unknownRoutesAnswer404Json() {
    for (String path : new String[] {"/api/v1/nope", "/api/v1/rooms/" + rid + "/nope", "/api/v2/rooms"}) {
      Api.Res r = api.get(path, alice.token());
      assertEquals(404, r.status(), path + " -> " + r.raw());
      assertEquals("not_found", r.errorCode(), path);
      assertTrue(r.json().getJsonObject("error").getString("message") != null, path);
    }
    Api.Res anonymous = api.get("/nowhere", null);
    assertEquals(404, anonymous.status(), anonymous.raw());
    assertEquals("not_found", anonymous.errorCode());
  }

  @Test
  void bodyOver256KibIsTooLarge() {
    String big = new JsonObject().put("cid", "huge").put("text", "x".repeat(256 * 1024)).encode();
    Api.Res r = api.call("POST", "/api/v1/rooms/" + rid + "/messages", alice.token(), big);
    assertEquals(413, r.status(), r.raw().length() > 300 ? r.raw().substring(0, 300) : r.raw());
    assertEquals("too_large", r.errorCode());
    assertEquals(1L, api.get("/api/v1/rooms/" + rid + "/messages", alice.token()).json().getLong("head"),
        "room.created only: nothing refused was stored");
  }

  @Test
  void healthReportsTheStoreUp() {
    Api.Res r = api.get("/health", null);
    assertEquals(200, r.status(), r.raw());
    assertEquals(new JsonObject().put("status", "ok").put("store", "up").put("engine", "rocksdb")
        .put("cluster", new JsonObject().put("enabled", false)), r.json());
  }

  @Test
  void metricsArePrometheusTextWithConnectionCount() throws Exception {
    try (WsClient ws = WsClient.authed(node, alice)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          r.headers().firstValue("Content-Type").orElse("none"));
      String gauge = r.body().lines().filter(l -> l.startsWith("sealroom_connections")).findFirst().orElse(null);
      assertTrue(gauge != null, "a sealroom_connections sample");
      assertTrue(Double.parseDouble(gauge.substring(gauge.lastIndexOf(' ') + 1)) >= 1.0, gauge);
      assertTrue(r.body().contains("# TYPE sealroom_connections gauge"));
    }
  }

  /** The call's answer, provided it came within 6 s (the store's server-selection timeout is 2 s). */
  static Api.Res timed(java.util.function.Supplier<Api.Res> call) {
    long start = System.nanoTime();
    Api.Res r = call.get();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 6000, "answered in " + ms + " ms");
    return r;
  }

  @Test
  void storeOutageAnswers503Unavailable() throws Exception {
    try (ExternalMongo store = ExternalMongo.start();
        TestNode n = TestNode.start(Map.of("mongo.uri", store.uri(), "metrics.enabled", false))) {
      Api a = n.api();
      Api.User bob = a.newUser("bob");
      assertEquals(200, a.get("/health", null).status());
      store.shutdown();
      Api.Res health = timed(() -> a.get("/health", null));
      assertEquals(503, health.status(), health.raw());
      assertEquals("down", health.json().getString("store"));
      List<java.util.function.Supplier<Api.Res>> calls = List.of(
          () -> a.get("/api/v1/rooms", bob.token()),
          () -> a.get("/api/v1/me", bob.token()),
          () -> a.post("/api/v1/rooms", bob.token(), new JsonObject().put("type", "p").put("name", "n")
              .put("members", new io.vertx.core.json.JsonArray())),
          () -> a.login(bob.username(), "password-" + bob.username()));
      for (java.util.function.Supplier<Api.Res> call : calls) {
        Api.Res r = timed(call);
        assertEquals(503, r.status(), Bodies.safe(r));
        assertEquals("unavailable", r.errorCode(), Bodies.safe(r));
      }
    }
  }
}
