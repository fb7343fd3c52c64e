package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's own E2E keys: upload, re-wrap, refusals, public parts, and the reset that ends sessions. */
class UserKeysIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  @Test
  void uploadFetchRewrapAndRefuseAnotherPair() {
    Api.User u = api.newUser("keys");
    assertEquals("no_keys", api.get("/api/v1/e2e/keys", u.token()).errorCode());
    assertFalse(api.get("/api/v1/me", u.token()).json().getJsonObject("e2e").getBoolean("hasKeys"));
    JsonObject body = E2eShapes.keysBody(ITER);
    Api.Res put = api.call("PUT", "/api/v1/e2e/keys", u.token(), body.encode());
    assertEquals(200, put.status(), put.raw());
    assertEquals("created", put.json().getString("result"));
    JsonObject own = api.get("/api/v1/e2e/keys", u.token()).json();
    assertEquals(body.getJsonObject("publicKey"), own.getJsonObject("publicKey"));
    assertEquals(body.getJsonObject("privateKey"), own.getJsonObject("privateKey"));
    assertEquals(body.getJsonObject("signingKey"), own.getJsonObject("signingKey"));
    assertTrue(api.get("/api/v1/me", u.token()).json().getJsonObject("e2e").getBoolean("hasKeys"));

    JsonObject rewrap = body.copy().put("privateKey", E2eShapes.wrapped(ITER + 1));
    Api.Res again = api.call("PUT", "/api/v1/e2e/keys", u.token(), rewrap.encode());
    assertEquals("rewrapped", again.json().getString("result"), again.raw());
    assertEquals(ITER + 1, api.get("/api/v1/e2e/keys", u.token()).json().getJsonObject("privateKey").getInteger("iter"));

    JsonObject newSigner = rewrap.copy().put("signingKey", E2eShapes.signingJwk());
    assertEquals("keys_exist", api.call("PUT", "/api/v1/e2e/keys", u.token(), newSigner.encode()).errorCode(),
        "a re-wrap cannot swap the signing key");
    Api.Res other = api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode());
    assertEquals(409, other.status());
    assertEquals("keys_exist", other.errorCode());

    Api.User peer = api.newUser("peer");
    JsonObject pub = api.get("/api/v1/users/" + u.id() + "/keys", peer.token()).json();
    assertEquals(body.getJsonObject("publicKey"), pub.getJsonObject("publicKey"));
    assertEquals(body.getJsonObject("signingKey"), pub.getJsonObject("signingKey"));
    assertFalse(pub.containsKey("privateKey"));
    assertEquals("no_keys", api.get("/api/v1/users/" + peer.id() + "/keys", u.token()).errorCode());
    assertEquals("not_found", api.get("/api/v1/users/nosuchuser/keys", u.token()).errorCode());
  }

  @Test
  void malformedKeysAreRefusedNamingTheField() {
    Api.User u = api.newUser("shape");
    Map<String, JsonObject> bad = Map.of(
        "publicKey.n", E2eShapes.keysBody(ITER).put("publicKey", E2eShapes.rsaPublicJwk(1024)),
        "publicKey.alg", E2eShapes.keysBody(ITER).put("publicKey", E2eShapes.rsaPublicJwk(2048).put("alg", "RSA-OAEP")),
        "privateKey.iter", E2eShapes.keysBody(ITER).put("privateKey", E2eShapes.wrapped(ITER - 1)),
        "privateKey.salt", E2eShapes.keysBody(ITER).put("privateKey", E2eShapes.wrapped(ITER).put("salt", "AAAA")),
        "privateKey.iv", E2eShapes.keysBody(ITER).put("privateKey", E2eShapes.wrapped(ITER).put("iv", "not+base64")),
        "privateKey.kdf", E2eShapes.keysBody(ITER).put("privateKey", E2eShapes.wrapped(ITER).put("kdf", "scrypt")),
        "signingKey.x", E2eShapes.keysBody(ITER).put("signingKey", E2eShapes.signingJwk().put("x", "AAAA")),
        "signingKey.crv", E2eShapes.keysBody(ITER).put("signingKey", E2eShapes.signingJwk().put("crv", "X25519")));
    bad.forEach((field, body) -> {
      Api.Res r = api.call("PUT", "/api/v1/e2e/keys", u.token(), body.encode());
      assertEquals(400, r.status(), field + ": " + r.raw());
      assertEquals("invalid_request", r.errorCode());
      assertEquals(field, r.json().getJsonObject("error").getString("field"), r.raw());
    });
    JsonObject huge = E2eShapes.keysBody(ITER);
    huge.getJsonObject("privateKey").put("ct", "A".repeat(40_000));
    assertEquals("too_large", api.call("PUT", "/api/v1/e2e/keys", u.token(), huge.encode()).errorCode());
    assertEquals("no_keys", api.get("/api/v1/e2e/keys", u.token()).errorCode(), "nothing stored");
  }

  @Test
  void resetNeedsTheLoginPasswordAndEndsTheOtherSessions() throws Exception {
    Api.User u = api.newUser("reset");
    String password = "password-" + u.username();
    String otherToken = api.login(u.username(), password).json().getString("token");
    api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode());
    Api.User other = new Api.User(u.id(), u.username(), otherToken);
    try (WsClient socket = WsClient.authed(node, other); WsClient mine = WsClient.authed(node, u)) {
      Api.Res wrong = api.call("DELETE", "/api/v1/e2e/keys", u.token(), new JsonObject().put("password", "nope-nope").encode());
      assertEquals("invalid_credentials", wrong.errorCode());
      assertEquals(200, api.get("/api/v1/e2e/keys", u.token()).status(), "a refused reset changes nothing");

      Api.Res reset = api.call("DELETE", "/api/v1/e2e/keys", u.token(), new JsonObject().put("password", password).encode());
      assertEquals(200, reset.status(), reset.raw());
      String fresh = reset.json().getString("token");
      assertNotEquals(u.token(), fresh);
      assertEquals(4001, socket.awaitClose(5), "open sockets of the user's other sessions are closed");
      assertEquals("unauthorized", api.get("/api/v1/me", otherToken).errorCode());
      assertEquals(200, api.get("/api/v1/me", u.token()).status(), "the session that reset goes on");
      mine.send(new JsonObject().put("op", "ping").put("ref", 1));
      assertEquals(1, mine.awaitOp("pong", 5).getInteger("ref"), "and so does its socket");
      assertEquals("no_keys", api.get("/api/v1/e2e/keys", fresh).errorCode());
      try (WsClient stale = WsClient.connect(node)) {
        stale.send(new JsonObject().put("op", "auth").put("token", otherToken));
        assertEquals(4001, stale.awaitClose(5), "old tokens refused on the WebSocket too");
      }
      WsClient.authed(node, new Api.User(u.id(), u.username(), fresh)).close();
      String later = api.login(u.username(), password).json().getString("token");
      assertEquals(200, api.get("/api/v1/me", later).status(), "new logins work");
    }
  }
}
