package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * User key versions (docs/protocol.md "User key versions"): every key set is a version with its
 * ukid, none is deleted, a message's ukid must be its sender's current version, and sessions
 * ended by a reset say why.
 */
class KeyVersionsIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  /** The ukid as the contract defines it, computed here independently of the server. */
  static String ukid(JsonObject keysBody) throws Exception {
    JsonObject pub = keysBody.getJsonObject("publicKey");
    JsonObject sig = keysBody.getJsonObject("signingKey");
    String s = pub.getString("n") + "|" + pub.getString("e") + "|" + (sig == null ? "" : sig.getString("x"));
    byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 16);
  }

  static Api.Res putKeys(Api.User u, JsonObject body) {
    return api.call("PUT", "/api/v1/e2e/keys", u.token(), body.encode());
  }

  static Api.Res reset(Api.User u) {
    return api.call("DELETE", "/api/v1/e2e/keys", u.token(), new JsonObject().put("password", "password-" + u.username()).encode());
  }

  static JsonObject message(String kid, String ukid) {
    JsonObject e2e = new JsonObject().put("kid", kid).put("iv", E2eShapes.b64(E2eShapes.random(12)))
        .put("ct", E2eShapes.b64(E2eShapes.random(48))).put("sig", E2eShapes.b64(E2eShapes.random(64)));
    if (ukid != null) {
      e2e.put("ukid", ukid);
    }
    return e2e;
  }

  @Test
  void versionsAreKeptAndNamedByTheirUkid() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    JsonObject first = E2eShapes.keysBody(ITER);
    Api.Res put = putKeys(alice, first);
    assertEquals(200, put.status(), put.raw());
    assertEquals(ukid(first), put.json().getString("ukid"));
    assertEquals(ukid(first), api.get("/api/v1/users/" + alice.id() + "/keys", bob.token()).json().getString("ukid"));
    assertEquals(ukid(first), api.get("/api/v1/e2e/keys", alice.token()).json().getString("ukid"));

    JsonObject rewrap = first.copy().put("privateKey", E2eShapes.wrapped(ITER));
    assertEquals(200, putKeys(alice, rewrap).status());
    assertEquals(1, api.get("/api/v1/users/" + alice.id() + "/keys/history", bob.token()).json()
        .getJsonArray("keys").size(), "a password change is not a new version");

    Api.Res r = reset(alice);
    assertEquals(200, r.status(), r.raw());
    String token = r.json().getString("token");
    Api.User alice2 = new Api.User(alice.id(), alice.username(), token);
    JsonArray afterReset = api.get("/api/v1/users/" + alice.id() + "/keys/history", bob.token()).json().getJsonArray("keys");
    assertEquals(1, afterReset.size());
    assertTrue(afterReset.getJsonObject(0).containsKey("endedAt"), afterReset.encode());
    assertEquals(404, api.get("/api/v1/users/" + alice.id() + "/keys", bob.token()).status());

    JsonObject second = E2eShapes.keysBody(ITER);
    assertEquals(200, putKeys(alice2, second).status());
    JsonArray keys = api.get("/api/v1/users/" + alice.id() + "/keys/history", bob.token()).json().getJsonArray("keys");
    assertEquals(2, keys.size());
    JsonObject old = keys.getJsonObject(0);
    JsonObject now = keys.getJsonObject(1);
    assertEquals(ukid(first), old.getString("ukid"));
    assertEquals(first.getJsonObject("publicKey").getString("n"), old.getJsonObject("publicKey").getString("n"));
    assertEquals(first.getJsonObject("signingKey").getString("x"), old.getJsonObject("signingKey").getString("x"));
    assertTrue(old.getLong("createdAt") <= old.getLong("endedAt") && old.getLong("endedAt") <= now.getLong("createdAt"));
    assertEquals(ukid(second), now.getString("ukid"));
    assertFalse(now.containsKey("endedAt"));
    assertFalse(now.containsKey("privateKey") || old.containsKey("privateKey"), "public parts only");

    assertEquals(404, api.get("/api/v1/users/aaaaaaaaaaaaaaaaaaaa/keys/history", bob.token()).status());
    assertEquals(401, api.get("/api/v1/users/" + alice.id() + "/keys/history", null).status());
  }

  @Test
  void aMessageMayNameOnlyItsSendersCurrentVersion() throws Exception {
    Api.User alice = api.newUser("alice");
    JsonObject first = E2eShapes.keysBody(ITER);
    assertEquals(200, putKeys(alice, first).status());
    String rid = api.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "p").put("name", "v")
        .put("encrypted", true).put("members", new JsonArray())).json().getString("id");
    String kid = E2eShapes.kid();
    assertEquals(200, api.post("/api/v1/rooms/" + rid + "/e2e/key-id", alice.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
    String path = "/api/v1/rooms/" + rid + "/messages";

    Api.Res ok = api.post(path, alice.token(), new JsonObject().put("cid", "c1").put("e2e", message(kid, ukid(first))));
    assertEquals(201, ok.status(), ok.raw());
    Api.Res without = api.post(path, alice.token(), new JsonObject().put("cid", "c2").put("e2e", message(kid, null)));
    assertEquals(201, without.status(), "ukid is optional");
    Api.Res other = api.post(path, alice.token(), new JsonObject().put("cid", "c3")
        .put("e2e", message(kid, ukid(E2eShapes.keysBody(ITER)))));
    assertEquals(409, other.status(), other.raw());
    assertEquals("stale_key", other.errorCode());
    assertEquals(ukid(first), other.json().getJsonObject("error").getString("ukid"));
    Api.Res malformed = api.post(path, alice.token(), new JsonObject().put("cid", "c4").put("e2e", message(kid, "not a ukid!")));
    assertEquals(400, malformed.status());

    List<JsonObject> stored = api.get(path + "?after=0", alice.token()).json().getJsonArray("messages").stream()
        .map(o -> (JsonObject) o).filter(m -> m.containsKey("e2e")).toList();
    assertEquals(ukid(first), stored.get(0).getJsonObject("e2e").getString("ukid"), "the ukid is kept with the message");
    assertNull(stored.get(1).getJsonObject("e2e").getString("ukid"));

    // after a reset and new keys the old version is stale, over the WebSocket too
    String token = reset(alice).json().getString("token");
    Api.User again = new Api.User(alice.id(), alice.username(), token);
    JsonObject second = E2eShapes.keysBody(ITER);
    assertEquals(200, putKeys(again, second).status());
    String next = E2eShapes.kid();
    assertEquals(200, api.post("/api/v1/rooms/" + rid + "/e2e/rotate", again.token(), new JsonObject()
        .put("previousKid", kid).put("kid", next).put("key", E2eShapes.memberKey(next))).status());
    try (WsClient ws = WsClient.authed(node, again)) {
      ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "w1").put("e2e", message(next, ukid(first))));
      JsonObject err = ws.awaitOp("error", 10);
      assertEquals("stale_key", err.getString("code"));
      ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "w2").put("e2e", message(next, ukid(second))));
      assertEquals("w2", ws.awaitOp("ack", 10).getString("cid"));
    }
  }

  @Test
  void aSessionEndedByAResetSaysWhy() throws Exception {
    Api.User alice = api.newUser("alice");
    assertEquals(200, putKeys(alice, E2eShapes.keysBody(ITER)).status());
    Api.Res second = api.login(alice.username(), "password-" + alice.username());
    Api.User other = new Api.User(alice.id(), alice.username(), second.json().getString("token"));
    try (WsClient ws = WsClient.authed(node, other)) {
      assertEquals(200, reset(alice).status());
      assertEquals(4001, ws.awaitClose(10));
      assertTrue(ws.closeReason() != null && ws.closeReason().contains("key_reset"), "close reason: " + ws.closeReason());
    }
    Api.Res refused = api.get("/api/v1/me", other.token());
    assertEquals(401, refused.status());
    assertEquals("key_reset", refused.json().getJsonObject("error").getString("reason"), refused.raw());
    assertTrue(refused.json().getJsonObject("error").getString("message").contains("reset"), refused.raw());
  }
}
