package io.sealroom.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Room key recovery and encryption changes (docs/protocol.md): keyHolders, rotation by any
 * member with keys once nobody holds the current key, and no silent downgrade.
 */
class RoomRecoveryIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  @RegisterExtension
  static final NodeExtension permissive = NodeExtension.builder().config("e2e.minKdfIterations", ITER)
      .config("e2e.allowDisable", true).build();
  static final Api api = node.api();

  static Api.User withKeys(Api a, String prefix) {
    return a.newUserWithKeys(prefix, ITER);
  }

  static String encryptedRoom(Api a, Api.User owner, String kid, String... members) {
    String rid = a.post("/api/v1/rooms", owner.token(), new JsonObject().put("type", "p").put("name", "vault")
        .put("encrypted", true).put("members", new JsonArray(List.of(members)))).json().getString("id");
    assertEquals(200, a.post("/api/v1/rooms/" + rid + "/e2e/key-id", owner.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
    return rid;
  }

  static Api.Res rotate(Api a, Api.User u, String rid, String previousKid, String kid) {
    return a.post("/api/v1/rooms/" + rid + "/e2e/rotate", u.token(), new JsonObject()
        .put("previousKid", previousKid).put("kid", kid).put("key", E2eShapes.memberKey(kid)));
  }

  static JsonArray keyHolders(Api.User u, String rid) {
    Api.Res r = api.get("/api/v1/rooms/" + rid, u.token());
    assertEquals(200, r.status(), r.raw());
    return r.json().getJsonArray("keyHolders");
  }

  @Test
  void whenNobodyHoldsTheKeyAnyMemberWithKeysRecoversTheRoom() throws Exception {
    Api.User alice = withKeys(api, "alice");
    Api.User bob = withKeys(api, "bob");
    String kid = E2eShapes.kid();
    String rid = encryptedRoom(api, alice, kid, bob.username());
    assertEquals(new JsonArray().add(alice.id()), keyHolders(bob, rid));

    // while alice holds it, bob (no key, not owner) may not rotate
    Api.Res early = rotate(api, bob, rid, kid, E2eShapes.kid());
    assertEquals(403, early.status(), early.raw());

    Api.Res reset = api.call("DELETE", "/api/v1/e2e/keys", alice.token(),
        new JsonObject().put("password", "password-" + alice.username()).encode());
    assertEquals(200, reset.status());
    assertEquals(new JsonArray(), keyHolders(bob, rid), "nobody holds the current key now");

    try (WsClient ws = WsClient.authed(node, bob)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 0));
      ws.awaitOp("subbed", 10);
      String fresh = E2eShapes.kid();
      Api.Res recovered = rotate(api, bob, rid, kid, fresh);
      assertEquals(200, recovered.status(), recovered.raw());
      assertEquals(fresh, recovered.json().getString("e2eKeyId"));
      JsonObject e = ws.await(f -> f.getJsonObject("event") != null
          && "key.rotated".equals(f.getJsonObject("event").getString("type")), 10).getJsonObject("event");
      assertEquals("recovered", e.getString("reason"));
      assertEquals(fresh, e.getString("kid"));
      assertEquals(new JsonArray().add(bob.id()), keyHolders(bob, rid));
      // a second recovery racing the first lost: the kid moved on
      Api.Res late = rotate(api, bob, rid, kid, E2eShapes.kid());
      assertEquals("stale_key", late.errorCode());
    }
  }

  @Test
  void aMemberWithoutKeysCannotRecover() {
    Api.User alice = withKeys(api, "alice");
    Api.User bob = api.newUser("bob");
    String kid = E2eShapes.kid();
    String rid = encryptedRoom(api, alice, kid, bob.username());
    api.call("DELETE", "/api/v1/e2e/keys", alice.token(), new JsonObject().put("password", "password-" + alice.username()).encode());
    Api.Res r = rotate(api, bob, rid, kid, E2eShapes.kid());
    assertEquals("no_keys", r.errorCode(), r.raw());
  }

  @Test
  void turningEncryptionOffIsRefusedByDefault() throws Exception {
    Api.User alice = withKeys(api, "alice");
    Api.User bob = withKeys(api, "bob");
    String dm = api.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "d")
        .put("members", new JsonArray().add(bob.username())).put("encrypted", true)).json().getString("id");
    Api.Res off = api.patch("/api/v1/rooms/" + dm, bob.token(), new JsonObject().put("encrypted", false));
    assertEquals(403, off.status(), off.raw());
    assertEquals("encryption_required", off.errorCode());
    assertTrue(api.get("/api/v1/rooms/" + dm, alice.token()).json().getBoolean("encrypted"), "still encrypted");
    Api.Res send = api.post("/api/v1/rooms/" + dm + "/messages", alice.token(), new JsonObject().put("cid", "p1").put("text", "hi"));
    assertEquals("plaintext_not_allowed", send.errorCode(), "plain text stays refused");
  }

  @Test
  void whereTurningOffIsAllowedOnlyOwnersMayAndEveryMemberSeesIt() throws Exception {
    Api p = permissive.api();
    Api.User alice = withKeys(p, "alice");
    Api.User bob = withKeys(p, "bob");
    String rid = encryptedRoom(p, alice, E2eShapes.kid(), bob.username());
    Api.Res notOwner = p.patch("/api/v1/rooms/" + rid, bob.token(), new JsonObject().put("encrypted", false));
    assertEquals("not_owner", notOwner.errorCode());
    try (WsClient ws = WsClient.authed(permissive, bob)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 0));
      ws.awaitOp("subbed", 10);
      Api.Res off = p.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", false));
      assertEquals(200, off.status(), off.raw());
      JsonObject e = ws.await(f -> f.getJsonObject("event") != null
          && "encryption.disabled".equals(f.getJsonObject("event").getString("type")), 10);
      assertEquals(alice.id(), e.getJsonObject("from").getString("id"));
    }
  }
}
