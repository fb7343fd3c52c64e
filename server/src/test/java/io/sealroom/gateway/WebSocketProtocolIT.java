package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.RawWs;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WebSocket handshake rules and frame validation: every refusal has its close code or error code. */
class WebSocketProtocolIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder()
      .config("ws.authTimeoutMs", 500)
      .config("ws.maxFrameBytes", 4096)
      .config("http.allowedOrigins", List.of("https://chat.example.com"))
      .build();
  static final Api api = node.api();

  private static JsonObject frame(String op) {
    return new JsonObject().put("op", op);
  }

  @Test
  void closesWith4001WhenNoAuthArrivesInTime() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      assertEquals(4001, c.awaitClose(5));
    }
  }

  @Test
  void closesWith4001WhenTheFirstFrameIsNotAuth() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      c.send(frame("ping"));
      assertEquals(4001, c.awaitClose(5));
    }
  }

  @Test
  void closesWith4001OnABadToken() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      c.send(frame("auth").put("token", "not.a.token"));
      assertEquals(4001, c.awaitClose(5));
    }
  }

  @Test
  void closesWith4001OnMalformedFirstFrame() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      c.sendRaw("{nope");
      assertEquals(4001, c.awaitClose(5));
    }
  }

  @Test
  void refusesAForeignOriginWith4003() throws Exception {
    try (WsClient c = WsClient.connect(node, "https://evil.example.org")) {
      assertEquals(4003, c.awaitClose(5));
    }
  }

  @Test
  void acceptsAConfiguredOriginAndTheSameOrigin() throws Exception {
    Api.User u = api.newUser("origin");
    for (String origin : List.of("https://chat.example.com", "http://127.0.0.1:" + node.port())) {
      try (WsClient c = WsClient.connect(node, origin)) {
        c.send(frame("auth").put("token", u.token()));
        assertEquals("ready", c.awaitOp("ready", 5).getString("op"));
      }
    }
  }

  @Test
  void closesWith1009OnAnOversizeMessage() throws Exception {
    Api.User u = api.newUser("big");
    try (RawWs raw = new RawWs(node.port(), 0, null)) {
      raw.sendText(frame("auth").put("token", u.token()).encode());
      assertEquals("ready", new JsonObject(raw.read().text()).getString("op"));
      raw.sendText(frame("ping").put("pad", "x".repeat(8192)).encode());
      assertEquals(1009, raw.readUntilClose());
    }
  }

  @Test
  void readyCarriesTheUserAndEchoesRef() throws Exception {
    Api.User u = api.newUser("ready");
    try (WsClient c = WsClient.connect(node)) {
      c.send(frame("auth").put("token", u.token()).put("ref", "r1"));
      JsonObject ready = c.awaitOp("ready", 5);
      assertEquals(u.id(), ready.getJsonObject("user").getString("id"));
      assertEquals(u.username(), ready.getJsonObject("user").getString("username"));
      assertEquals("r1", ready.getString("ref"));
      c.send(frame("ping").put("ref", 7));
      assertEquals(7, c.awaitOp("pong", 5).getInteger("ref"));
    }
  }

  @Test
  void badFramesGetErrorsAndTheConnectionStaysUsable() throws Exception {
    Api.User u = api.newUser("bad");
    Api.User other = api.newUser("other");
    String foreign = api.createRoom(other, "p", "theirs", List.of());
    try (WsClient c = WsClient.authed(node, u)) {
      c.sendRaw("{not json");
      assertError(c, "invalid_request", null);
      c.sendRaw("[1,2]");
      assertError(c, "invalid_request", null);
      c.send(frame("fly").put("ref", 1));
      assertError(c, "invalid_request", 1);
      c.send(new JsonObject().put("room", "x").put("ref", 2));
      assertError(c, "invalid_request", 2);
      c.send(frame("sub").put("ref", 3));
      assertError(c, "invalid_request", 3);
      c.send(frame("sub").put("room", 42).put("ref", 4));
      assertError(c, "invalid_request", 4);
      c.send(frame("sub").put("room", "nosuchroom").put("ref", 5));
      assertError(c, "not_found", 5);
      c.send(frame("sub").put("room", foreign).put("ref", 6));
      assertError(c, "not_member", 6);
      c.send(frame("sub").put("room", foreign).put("since", -1).put("ref", 7));
      assertError(c, "invalid_request", 7);
      c.send(frame("send").put("room", foreign).put("cid", "x1").put("text", "hi").put("ref", 8));
      JsonObject e = assertError(c, "not_member", 8);
      assertEquals("x1", e.getString("cid"));
      c.send(frame("auth").put("token", u.token()).put("ref", 9));
      assertError(c, "invalid_request", 9);
      c.send(frame("ping").put("ref", 10));
      assertEquals(10, c.awaitOp("pong", 5).getInteger("ref"));
      assertFalse(c.isClosed());
    }
    assertEquals(1L, api.get("/api/v1/rooms/" + foreign + "/messages", other.token()).json().getLong("head"),
        "room.created only");
  }

  @Test
  void sendValidatesTheMessageAgainstTheRoom() throws Exception {
    Api.User u = api.newUser("rules");
    String plain = api.createRoom(u, "p", "plain", List.of());
    JsonObject body = new JsonObject().put("type", "p").put("name", "secret").put("encrypted", true);
    String enc = api.post("/api/v1/rooms", u.token(), body).json().getString("id");
    JsonObject e2e = new JsonObject().put("kid", "abcdefghijklmnop").put("iv", "AAAAAAAAAAAAAAAA")
        .put("ct", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    try (WsClient c = WsClient.authed(node, u)) {
      c.send(frame("send").put("room", enc).put("cid", "a").put("text", "plain words"));
      assertError(c, "plaintext_not_allowed", null);
      c.send(frame("send").put("room", plain).put("cid", "b").put("e2e", e2e));
      assertError(c, "encryption_not_allowed", null);
      c.send(frame("send").put("room", enc).put("cid", "c").put("e2e", e2e));
      assertError(c, "stale_key", null);
      c.send(frame("send").put("room", enc).put("cid", "d").put("e2e", e2e.copy().put("iv", "short")));
      assertError(c, "invalid_request", null);
      c.send(frame("send").put("room", plain).put("cid", "bad cid!").put("text", "x"));
      assertError(c, "invalid_request", null);
      c.send(frame("send").put("room", plain).put("cid", "f").put("text", "ok").put("e2e", e2e));
      assertError(c, "invalid_request", null);
    }
    // the rooms hold their creation events only (room.created; encryption.enabled for the encrypted one)
    assertEquals(1L, api.get("/api/v1/rooms/" + plain + "/messages", u.token()).json().getLong("head"));
    assertEquals(2L, api.get("/api/v1/rooms/" + enc + "/messages", u.token()).json().getLong("head"));
  }

  @Test
  void typingReachesTheOtherSubscribersOnly() throws Exception {
    Api.User a = api.newUser("ta");
    Api.User b = api.newUser("tb");
    String rid = api.createRoom(a, "p", "typing", List.of(b.username()));
    try (WsClient ca = WsClient.authed(node, a); WsClient cb = WsClient.authed(node, b)) {
      ca.send(frame("sub").put("room", rid));
      ca.awaitOp("subbed", 5);
      cb.send(frame("sub").put("room", rid));
      cb.awaitOp("subbed", 5);
      ca.send(frame("typing").put("room", rid));
      JsonObject t = cb.awaitOp("typing", 5);
      assertEquals(a.username(), t.getJsonObject("user").getString("username"));
      assertEquals(rid, t.getString("room"));
      assertNull(ca.poll(300));
    }
  }

  private static JsonObject assertError(WsClient c, String code, Object ref) throws Exception {
    JsonObject e = c.awaitOp("error", 5);
    assertEquals(code, e.getString("code"), e.encode());
    assertTrue(e.getString("message") != null && !e.getString("message").isEmpty());
    if (ref != null) {
      assertEquals(ref, e.getValue("ref"));
    }
    return e;
  }
}
