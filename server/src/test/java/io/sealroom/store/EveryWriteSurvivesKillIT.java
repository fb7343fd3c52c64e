package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.JarProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of acknowledged write survives a kill -9 of the packaged node the moment after its
 * answer arrived, on the default (embedded, on disk) store: each test makes one write, kills the
 * node as soon as the answer is in, starts it again on the same data directory and finds the
 * write there. Tokens stay valid across the restart (the signing key is kept in the data
 * directory), so the checks use the same users.
 */
class EveryWriteSurvivesKillIT {
  private static final int ITER = 1000;

  @TempDir
  Path tmp;
  private JarProcess node;
  private Api api;

  @BeforeEach
  void start() throws Exception {
    node = startNode();
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
  }

  private JarProcess startNode() throws Exception {
    JarProcess n = JarProcess.start(JarProcess.freePort(), Map.of(
        "SEALROOM_STORE_DATADIR", tmp.resolve("data").toString(),
        "SEALROOM_E2E_MINKDFITERATIONS", String.valueOf(ITER)), tmp.resolve("node.log"));
    api = new Api(n.baseUrl());
    return n;
  }

  /** The answer to check, then kill -9 at once and start again on the same data directory. */
  private Api.Res killRightAfter(Api.Res answer) throws Exception {
    node.kill9();
    node = startNode();
    return answer;
  }

  private Api.User withKeys(String prefix) {
    Api.User u = api.newUser(prefix);
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode()).status());
    return u;
  }

  private String encryptedRoom(Api.User owner, String... members) {
    return api.post("/api/v1/rooms", owner.token(), new JsonObject().put("type", "p").put("name", "vault")
        .put("encrypted", true).put("members", new JsonArray(List.of(members)))).json().getString("id");
  }

  private Api.Res establish(Api.User u, String rid, String kid) {
    return api.post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid)));
  }

  private JsonObject room(Api.User u, String rid) {
    Api.Res r = api.get("/api/v1/rooms/" + rid, u.token());
    assertEquals(200, r.status(), r.raw());
    return r.json();
  }

  private static List<String> memberIds(JsonObject room) {
    return room.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("id")).toList();
  }

  @Test
  void registration() throws Exception {
    assertEquals(201, killRightAfter(api.register("durable-reg", "correct horse")).status());
    assertEquals(200, api.login("durable-reg", "correct horse").status());
    assertEquals("username_taken", api.register("durable-reg", "another one").errorCode());
  }

  @Test
  void roomCreation() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.Res created = killRightAfter(api.post("/api/v1/rooms", alice.token(),
        new JsonObject().put("type", "p").put("name", "kept").put("members", new JsonArray())));
    assertEquals(201, created.status(), created.raw());
    String rid = created.json().getString("id");
    assertEquals("kept", room(alice, rid).getString("name"));
    assertTrue(api.get("/api/v1/rooms", alice.token()).raw().contains(rid));
  }

  @Test
  void memberAddedAndRemoved() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of());
    assertEquals(200, killRightAfter(api.post("/api/v1/rooms/" + rid + "/members", alice.token(),
        new JsonObject().put("username", bob.username()))).status());
    assertTrue(memberIds(room(alice, rid)).contains(bob.id()), "the added member is kept");
    assertEquals(200, killRightAfter(api.delete("/api/v1/rooms/" + rid + "/members/" + bob.id(), alice.token())).status());
    assertEquals(List.of(alice.id()), memberIds(room(alice, rid)), "the removal is kept");
    assertEquals("not_member", api.get("/api/v1/rooms/" + rid + "/messages", bob.token()).errorCode());
  }

  @Test
  void encryptionTurnedOn() throws Exception {
    Api.User alice = withKeys("alice");
    String rid = api.createRoom(alice, "p", "plain", List.of());
    Api.Res on = killRightAfter(api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", true)));
    assertEquals(200, on.status(), on.raw());
    assertEquals(true, room(alice, rid).getBoolean("encrypted"));
  }

  @Test
  void keyUpload() throws Exception {
    Api.User alice = api.newUser("alice");
    JsonObject keys = E2eShapes.keysBody(ITER);
    assertEquals(200, killRightAfter(api.call("PUT", "/api/v1/e2e/keys", alice.token(), keys.encode())).status());
    JsonObject stored = api.get("/api/v1/e2e/keys", alice.token()).json();
    assertEquals(keys.getJsonObject("privateKey"), stored.getJsonObject("privateKey"), "the wrapped private key is kept");
    assertEquals(keys.getJsonObject("publicKey").getString("n"), stored.getJsonObject("publicKey").getString("n"));
  }

  @Test
  void roomKeyEstablishedHandedOverAndRotated() throws Exception {
    Api.User alice = withKeys("alice");
    Api.User bob = withKeys("bob");
    Api.User eve = withKeys("eve");
    String rid = encryptedRoom(alice, bob.username(), eve.username());
    String kid = E2eShapes.kid();
    assertEquals(200, killRightAfter(establish(alice, rid, kid)).status());
    assertEquals(kid, room(alice, rid).getString("e2eKeyId"), "the established key id is kept");
    assertEquals(kid, api.get("/api/v1/rooms/" + rid + "/e2e/key", alice.token()).json().getString("kid"));

    JsonObject grant = new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("userId", bob.id()).put("key", E2eShapes.memberKey(kid)))
        .add(new JsonObject().put("userId", eve.id()).put("key", E2eShapes.memberKey(kid))));
    assertEquals(2, killRightAfter(api.post("/api/v1/rooms/" + rid + "/e2e/keys", alice.token(), grant))
        .json().getInteger("stored"));
    assertEquals(kid, api.get("/api/v1/rooms/" + rid + "/e2e/key", bob.token()).json().getString("kid"), "handed over");

    assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + eve.id(), alice.token()).status());
    String kid2 = E2eShapes.kid();
    Api.Res rotated = killRightAfter(api.post("/api/v1/rooms/" + rid + "/e2e/rotate", bob.token(),
        new JsonObject().put("previousKid", kid).put("kid", kid2).put("key", E2eShapes.memberKey(kid2))));
    assertEquals(200, rotated.status(), rotated.raw());
    JsonObject after = room(alice, rid);
    assertEquals(kid2, after.getString("e2eKeyId"), "the rotation is kept");
    assertEquals(false, after.getBoolean("rotationDue"));
    JsonObject bobs = api.get("/api/v1/rooms/" + rid + "/e2e/key", bob.token()).json();
    assertEquals(kid2, bobs.getString("kid"));
    assertEquals(kid, bobs.getJsonArray("old").getJsonObject(0).getString("kid"), "the old key is in the history");
  }

  @Test
  void keyResetAndTheSessionsItEnded() throws Exception {
    Api.User alice = withKeys("alice");
    String password = "password-" + alice.username();
    String other = api.login(alice.username(), password).json().getString("token");
    Api.Res reset = killRightAfter(api.call("DELETE", "/api/v1/e2e/keys", alice.token(),
        new JsonObject().put("password", password).encode()));
    assertEquals(200, reset.status(), reset.raw());
    assertEquals("no_keys", api.get("/api/v1/e2e/keys", alice.token()).errorCode(), "the keys stay gone");
    assertEquals("unauthorized", api.get("/api/v1/me", other).errorCode(), "the ended session stays ended");
    assertEquals(200, api.get("/api/v1/me", reset.json().getString("token")).status());
  }

  @Test
  void messageSentOverRest() throws Exception {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "log", List.of());
    Api.Res sent = killRightAfter(api.post("/api/v1/rooms/" + rid + "/messages", alice.token(),
        new JsonObject().put("cid", "c-1").put("text", "kept")));
    assertEquals(201, sent.status(), sent.raw());
    JsonObject page = api.get("/api/v1/rooms/" + rid + "/messages", alice.token()).json();
    assertEquals(2, page.getLong("head"), "room.created and the message");
    assertEquals("kept", page.getJsonArray("messages").getJsonObject(1).getString("text"));
    Api.Res again = api.post("/api/v1/rooms/" + rid + "/messages", alice.token(),
        new JsonObject().put("cid", "c-1").put("text", "kept"));
    assertEquals(sent.json().getString("id"), again.json().getString("id"), "a retried cid is the stored message");
  }
}
