package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With e2e.enabled false every E2E route and every encrypted room answers 403 e2e_disabled. */
class E2eDisabledIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder()
      .config("e2e.enabled", false)
      .config("e2e.defaultEncrypted.private", true)
      .build();
  static final Api api = node.api();

  @Test
  void everyE2eRouteAndEncryptedRoomIsRefused() {
    Api.User u = api.newUser("off");
    JsonObject me = api.get("/api/v1/me", u.token()).json();
    assertFalse(me.getJsonObject("e2e").getBoolean("enabled"));
    assertFalse(me.getJsonObject("e2e").getBoolean("hasKeys"));
    String rid = api.createRoom(u, "p", "group", List.of());
    assertFalse(api.get("/api/v1/rooms/" + rid, u.token()).json().getBoolean("encrypted"),
        "the default to encrypt private groups does not apply while E2E is off");
    String kid = E2eShapes.kid();
    List<Api.Res> refused = List.of(
        api.get("/api/v1/e2e/keys", u.token()),
        api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(600_000).encode()),
        api.call("DELETE", "/api/v1/e2e/keys", u.token(), new JsonObject().put("password", "password-" + u.username()).encode()),
        api.get("/api/v1/users/" + u.id() + "/keys", u.token()),
        api.get("/api/v1/me/verified", u.token()),
        api.call("PUT", "/api/v1/me/verified", u.token(), new JsonObject().put("rev", 0).put("blob", new JsonObject()).encode()),
        api.post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(), new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))),
        api.get("/api/v1/rooms/" + rid + "/e2e/key", u.token()),
        api.get("/api/v1/rooms/" + rid + "/e2e/waiting", u.token()),
        api.post("/api/v1/rooms/" + rid + "/e2e/keys", u.token(), new JsonObject().put("keys",
            new io.vertx.core.json.JsonArray().add(new JsonObject().put("userId", u.id()).put("key", E2eShapes.memberKey(kid))))),
        api.post("/api/v1/rooms/" + rid + "/e2e/rotate", u.token(),
            new JsonObject().put("previousKid", kid).put("kid", kid).put("key", E2eShapes.memberKey(kid))),
        api.post("/api/v1/rooms", u.token(), new JsonObject().put("type", "p").put("name", "x").put("encrypted", true)),
        api.patch("/api/v1/rooms/" + rid, u.token(), new JsonObject().put("encrypted", true)));
    List<Api.Res> malformed = List.of(
        api.call("PUT", "/api/v1/e2e/keys", u.token(), "{not json"),
        api.call("DELETE", "/api/v1/e2e/keys", u.token(), "{}"),
        api.post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(), new JsonObject()));
    for (Api.Res r : malformed) {
      assertEquals("e2e_disabled", r.errorCode(), "disabled comes before the body is looked at: " + r.raw());
    }
    for (Api.Res r : refused) {
      assertEquals(403, r.status(), r.raw());
      assertEquals("e2e_disabled", r.errorCode(), r.raw());
    }
  }
}
