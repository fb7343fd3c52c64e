package io.sealroom.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Room keys over REST and the events that drive clients: establish, hand over, rotate, refusals. */
class RoomKeysIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  static Api.User withKeys(String prefix) {
    Api.User u = api.newUser(prefix);
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode()).status());
    return u;
  }

  static String encryptedRoom(Api.User owner, String... members) {
    JsonObject body = new JsonObject().put("type", "p").put("name", "vault").put("encrypted", true)
        .put("members", new JsonArray(List.of(members)));
    return api.post("/api/v1/rooms", owner.token(), body).json().getString("id");
  }

  static Api.Res establish(Api.User u, String rid, String kid) {
    return api.post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid)));
  }

  static JsonObject e2eMessage(String kid) {
    return new JsonObject().put("kid", kid).put("iv", E2eShapes.b64(E2eShapes.random(12)))
        .put("ct", E2eShapes.b64(E2eShapes.random(64)));
  }

  @Test
  void concurrentEstablishmentHasExactlyOneWinner() throws Exception {
    Api.User owner = withKeys("race");
    List<Api.User> members = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      members.add(withKeys("racer" + i));
    }
    String rid = encryptedRoom(owner, members.stream().map(Api.User::username).toArray(String[]::new));
    members.add(owner);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<Api.Res>> calls = new ArrayList<>();
    List<String> kids = new ArrayList<>();
    for (Api.User m : members) {
      String kid = E2eShapes.kid();
      kids.add(kid);
      calls.add(pool.submit(() -> establish(m, rid, kid)));
    }
    List<Api.Res> results = new ArrayList<>();
    for (Future<Api.Res> f : calls) {
      results.add(f.get());
    }
    pool.shutdown();
    String winner = null;
    int wins = 0;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).status() == 200) {
        wins++;
        winner = kids.get(i);
      }
    }
    assertEquals(1, wins, results.toString());
    for (Api.Res r : results) {
      if (r.status() != 200) {
        assertEquals(409, r.status());
        assertEquals("key_id_exists", r.errorCode());
        assertEquals(winner, r.json().getJsonObject("error").getString("kid"));
      }
    }
    assertEquals(winner, api.get("/api/v1/rooms/" + rid, owner.token()).json().getString("e2eKeyId"));
  }

  @Test
  void establishingIsRefusedWhereItMustBe() {
    Api.User u = withKeys("est");
    Api.User bare = api.newUser("bare");
    String plain = api.createRoom(u, "p", "plain", List.of(bare.username()));
    assertEquals("encryption_not_allowed", establish(u, plain, E2eShapes.kid()).errorCode());
    String rid = encryptedRoom(u, bare.username());
    assertEquals("no_keys", establish(bare, rid, E2eShapes.kid()).errorCode());
    Api.User stranger = withKeys("stranger");
    assertEquals("not_member", establish(stranger, rid, E2eShapes.kid()).errorCode());
    Api.Res mismatch = api.post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(),
        new JsonObject().put("kid", E2eShapes.kid()).put("key", E2eShapes.memberKey(E2eShapes.kid())));
    assertEquals("invalid_request", mismatch.errorCode());
    assertEquals("no_keys", api.get("/api/v1/rooms/" + rid + "/e2e/key", u.token()).errorCode());
    assertNull(api.get("/api/v1/rooms/" + rid, u.token()).json().getString("e2eKeyId"), "nothing stored");
  }

  @Test
  void aMemberWhoSetsKeysLaterIsAnnouncedToTheHolderAndGetsTheKey() throws Exception {
    Api.User owner = withKeys("holder");
    Api.User late = api.newUser("late");
    String rid = encryptedRoom(owner, late.username());
    String kid = E2eShapes.kid();
    try (WsClient o = WsClient.authed(node, owner); WsClient l = WsClient.authed(node, late)) {
      assertEquals(200, establish(owner, rid, kid).status());
      assertEquals(kid, o.await(f -> "room".equals(f.getString("op"))
          && kid.equals(f.getJsonObject("room").getString("e2eKeyId")), 5).getJsonObject("room").getString("e2eKeyId"));
      assertEquals(0, api.get("/api/v1/rooms/" + rid + "/e2e/waiting", owner.token()).json().getJsonArray("users").size(),
          "no public key yet: not waiting");
      assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", late.token(), E2eShapes.keysBody(ITER).encode()).status());
      JsonObject needed = o.awaitOp("keys.needed", 5);
      assertEquals(rid, needed.getString("room"));
      assertEquals(late.id(), needed.getJsonArray("users").getJsonObject(0).getString("id"));
      assertEquals("RSA", needed.getJsonArray("users").getJsonObject(0).getJsonObject("publicKey").getString("kty"));
      assertEquals(late.id(), api.get("/api/v1/rooms/" + rid + "/e2e/waiting", owner.token()).json()
          .getJsonArray("users").getJsonObject(0).getString("id"));
      assertEquals("forbidden", api.get("/api/v1/rooms/" + rid + "/e2e/waiting", late.token()).errorCode());

      JsonObject grant = new JsonObject().put("keys", new JsonArray().add(
          new JsonObject().put("userId", late.id()).put("key", E2eShapes.memberKey(kid))));
      Api.Res stored = api.post("/api/v1/rooms/" + rid + "/e2e/keys", owner.token(), grant);
      assertEquals(1, stored.json().getInteger("stored"), stored.raw());
      JsonObject keyFrame = l.awaitOp("key", 5);
      assertEquals(kid, keyFrame.getString("kid"));
      JsonObject mine = api.get("/api/v1/rooms/" + rid + "/e2e/key", late.token()).json();
      assertEquals(kid, mine.getString("kid"));
      assertEquals(grant.getJsonArray("keys").getJsonObject(0).getJsonObject("key"), mine.getJsonObject("key"));
      assertEquals(0, api.post("/api/v1/rooms/" + rid + "/e2e/keys", owner.token(), grant).json().getInteger("stored"),
          "a member who holds it is skipped");
      JsonObject stale = new JsonObject().put("keys", new JsonArray().add(
          new JsonObject().put("userId", late.id()).put("key", E2eShapes.memberKey(E2eShapes.kid()))));
      assertEquals("stale_key", api.post("/api/v1/rooms/" + rid + "/e2e/keys", owner.token(), stale).errorCode());
      Api.User outsider = withKeys("outsider");
      JsonObject foreign = new JsonObject().put("keys", new JsonArray().add(
          new JsonObject().put("userId", outsider.id()).put("key", E2eShapes.memberKey(kid))));
      assertEquals("not_member", api.post("/api/v1/rooms/" + rid + "/e2e/keys", owner.token(), foreign).errorCode());
    }
  }

  @Test
  void removalMarksRotationDueAndRotationRetiresTheOldKid() throws Exception {
    Api.User owner = withKeys("rot");
    Api.User bob = withKeys("bob");
    Api.User eve = withKeys("eve");
    String rid = encryptedRoom(owner, bob.username(), eve.username());
    String kid = E2eShapes.kid();
    establish(owner, rid, kid);
    JsonObject grant = new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("userId", bob.id()).put("key", E2eShapes.memberKey(kid)))
        .add(new JsonObject().put("userId", eve.id()).put("key", E2eShapes.memberKey(kid))));
    assertEquals(2, api.post("/api/v1/rooms/" + rid + "/e2e/keys", owner.token(), grant).json().getInteger("stored"));
    assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", bob.token(),
        new JsonObject().put("cid", "m1").put("e2e", e2eMessage(kid))).status());

    String kid2 = E2eShapes.kid();
    JsonObject early = new JsonObject().put("previousKid", kid).put("kid", kid2).put("key", E2eShapes.memberKey(kid2));
    assertEquals("not_owner", api.post("/api/v1/rooms/" + rid + "/e2e/rotate", bob.token(), early).errorCode(),
        "a member may rotate only when a rotation is due");
    assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + eve.id(), owner.token()).status());
    assertTrue(api.get("/api/v1/rooms/" + rid, bob.token()).json().getBoolean("rotationDue"));
    JsonObject sameKid = new JsonObject().put("previousKid", kid).put("kid", kid).put("key", E2eShapes.memberKey(kid));
    assertEquals("invalid_request", api.post("/api/v1/rooms/" + rid + "/e2e/rotate", bob.token(), sameKid).errorCode(),
        "a rotation needs a new key");
    JsonObject wrongPrev = early.copy().put("previousKid", E2eShapes.kid());
    assertEquals("stale_key", api.post("/api/v1/rooms/" + rid + "/e2e/rotate", bob.token(), wrongPrev).errorCode());
    try (WsClient b = WsClient.authed(node, bob)) {
      Api.Res rotated = api.post("/api/v1/rooms/" + rid + "/e2e/rotate", bob.token(), early);
      assertEquals(200, rotated.status(), rotated.raw());
      assertEquals(kid2, rotated.json().getString("e2eKeyId"));
      assertEquals(false, rotated.json().getBoolean("rotationDue"));
      JsonObject needed = b.awaitOp("keys.needed", 5);
      assertEquals(owner.id(), needed.getJsonArray("users").getJsonObject(0).getString("id"));
    }
    assertEquals("stale_key", api.post("/api/v1/rooms/" + rid + "/e2e/rotate", owner.token(), early).errorCode(),
        "the second rotation with the same previousKid loses");
    Api.Res old = api.post("/api/v1/rooms/" + rid + "/messages", bob.token(),
        new JsonObject().put("cid", "m2").put("e2e", e2eMessage(kid)));
    assertEquals("stale_key", old.errorCode());
    assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", bob.token(),
        new JsonObject().put("cid", "m3").put("e2e", e2eMessage(kid2))).status());
    JsonObject ownerKeys = api.get("/api/v1/rooms/" + rid + "/e2e/key", owner.token()).json();
    assertNull(ownerKeys.getString("kid"), "the owner does not hold the new key yet");
    assertEquals(kid, ownerKeys.getJsonArray("old").getJsonObject(0).getString("kid"), "the old key is kept for history");
    assertEquals("not_member", api.get("/api/v1/rooms/" + rid + "/e2e/key", eve.token()).errorCode());
  }

  @Test
  void onlyTheOwnerConvertsAndNeverAPublicChannel() {
    Api.User owner = withKeys("conv");
    Api.User member = withKeys("mem");
    String rid = api.createRoom(owner, "p", "grp", List.of(member.username()));
    assertEquals("not_owner", api.patch("/api/v1/rooms/" + rid, member.token(), new JsonObject().put("encrypted", true)).errorCode());
    assertEquals(200, api.patch("/api/v1/rooms/" + rid, owner.token(), new JsonObject().put("encrypted", true)).status());
    String channel = api.createRoom(owner, "c", "open", List.of());
    assertEquals("encryption_not_allowed",
        api.patch("/api/v1/rooms/" + channel, owner.token(), new JsonObject().put("encrypted", true)).errorCode());
  }
}
