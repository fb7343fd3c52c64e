package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a REST send refuses, and that nothing is stored for a refused request. The node's store
 * is an external MongoDB-protocol server, so the test can establish a room key id directly (the
 * E2E key routes are not part of this contract's tests) and can count stored documents.
 */
class MessageRefusalsRestIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KID = "kidAAAAAAAAAAAAA";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().onExternalMongo().build();
  static final Api api = node.api();

  static String b64(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static JsonObject e2e(String kid) {
    return new JsonObject().put("kid", kid).put("iv", b64(12)).put("ct", b64(48)).put("sig", b64(64));
  }

  static Api.Res send(Api a, Api.User u, String rid, JsonObject body) {
    return a.post("/api/v1/rooms/" + rid + "/messages", u.token(), body);
  }

  static JsonObject text(String cid, String text) {
    return new JsonObject().put("cid", cid).put("text", text);
  }

  static JsonObject enc(String cid, JsonObject e2e) {
    return new JsonObject().put("cid", cid).put("e2e", e2e);
  }

  /** An encrypted private group whose room key id is KID. */
  static String encryptedRoomWithKey(Api.User owner) {
    Api.Res r = api.post("/api/v1/rooms", owner.token(), new JsonObject().put("type", "p").put("name", "sealed")
        .put("encrypted", true).put("members", new JsonArray()));
    assertEquals(201, r.status(), r.raw());
    String rid = r.json().getString("id");
    node.mongo().set("rooms", new JsonObject().put("_id", rid), new JsonObject().put("e2eKeyId", KID));
    assertEquals(KID, api.get("/api/v1/rooms/" + rid, owner.token()).json().getString("e2eKeyId"));
    return rid;
  }

  static void assertRefused(Api.Res r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.errorCode(), r.raw());
  }

  /**
   * The room holds its creation events and {@code sent} messages, in its history and in the
   * store, and its head counts exactly those: a refused request left no trace.
   */
  static void assertStored(Api.User u, String rid, long sent) {
    JsonObject h = api.get("/api/v1/rooms/" + rid + "/messages?after=0", u.token()).json();
    List<JsonObject> all = h.getJsonArray("messages").stream().map(o -> (JsonObject) o).toList();
    List<String> events = all.stream().filter(m -> m.containsKey("event"))
        .map(m -> m.getJsonObject("event").getString("type")).toList();
    assertTrue(List.of(List.of("room.created"), List.of("room.created", "encryption.enabled")).contains(events),
        "creation events only: " + events);
    assertEquals(sent, all.size() - events.size(), "messages in history");
    assertEquals(all.size(), h.getLong("head"), "head");
    assertEquals(all.size(), node.mongo().count("messages", new JsonObject().put("rid", rid)), "documents in the store");
  }

  @Test
  void plainTextInAnEncryptedRoomIsRefused() {
    Api.User alice = api.newUser("alice");
    String rid = encryptedRoomWithKey(alice);
    assertRefused(send(api, alice, rid, text("p1", "in the clear")), 400, "plaintext_not_allowed");
    assertStored(alice, rid, 0);
    // after room.created and encryption.enabled
    assertEquals(3L, send(api, alice, rid, enc("p1", e2e(KID))).json().getLong("seq"), "the refused cid is free");
  }

  @Test
  void plainTextInAnEncryptedRoomIsAcceptedWhenConfigured() throws Exception {
    try (TestNode lax = TestNode.start(Map.of("e2e.allowUnencryptedMessages", true, "metrics.enabled", false))) {
      Api a = lax.api();
      Api.User alice = a.newUser("alice");
      Api.Res room = a.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "p").put("name", "lax")
          .put("encrypted", true).put("members", new JsonArray()));
      String rid = room.json().getString("id");
      assertEquals(true, room.json().getBoolean("encrypted"));
      Api.Res r = send(a, alice, rid, text("t1", "allowed here"));
      assertEquals(201, r.status(), r.raw());
      assertEquals(3L, r.json().getLong("seq"), "after room.created and encryption.enabled");
    }
  }

  @Test
  void anE2eMessageInAPlainRoomIsRefused() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "plain", List.of());
    assertRefused(send(api, alice, rid, enc("e1", e2e(KID))), 400, "encryption_not_allowed");
    assertStored(alice, rid, 0);
  }

  @Test
  void anE2eMessageWithAnotherKidIsStale() {
    Api.User alice = api.newUser("alice");
    Api.Res created = api.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "p").put("name", "nokey")
        .put("encrypted", true).put("members", new JsonArray()));
    String noKey = created.json().getString("id");
    assertRefused(send(api, alice, noKey, enc("k0", e2e(KID))), 409, "stale_key");
    assertStored(alice, noKey, 0);

    String rid = encryptedRoomWithKey(alice);
    Api.Res stale = send(api, alice, rid, enc("k1", e2e("kidBBBBBBBBBBBBB")));
    assertRefused(stale, 409, "stale_key");
    assertStored(alice, rid, 0);
    Api.Res ok = send(api, alice, rid, enc("k1", e2e(KID)));
    assertEquals(201, ok.status(), ok.raw());
    assertStored(alice, rid, 1);
  }

  @Test
  void encryptedMessagesAreStoredWithoutTextAndNeverMatchSearch() {
    Api.User alice = api.newUser("alice");
    String rid = encryptedRoomWithKey(alice);
    JsonObject payload = e2e(KID);
    assertEquals(201, send(api, alice, rid, enc("s1", payload)).status());
    JsonObject doc = node.mongo().findOne("messages", new JsonObject().put("rid", rid).put("cid", "s1"));
    assertFalse(doc.containsKey("text"), "no text field to match");
    assertEquals("e2e", doc.getString("t"));
    JsonObject m = api.get("/api/v1/rooms/" + rid + "/messages", alice.token()).json().getJsonArray("messages")
        .stream().map(o -> (JsonObject) o).filter(x -> "s1".equals(x.getString("cid"))).findFirst().orElseThrow();
    assertEquals(payload, m.getJsonObject("e2e"));
    assertNull(m.getValue("text"));
    for (String q : new String[] {payload.getString("ct").substring(5, 20), KID, "e2e", "s1"}) {
      Api.Res r = api.get("/api/v1/search?q=" + q, alice.token());
      assertEquals(200, r.status(), r.raw());
      assertEquals(0, r.json().getJsonArray("messages").size(), "query " + q);
    }
  }

  @Test
  void malformedEnvelopesAreInvalid() {
    Api.User alice = api.newUser("alice");
    String rid = encryptedRoomWithKey(alice);
    JsonObject[] bad = {
        e2e(KID).put("iv", b64(11)),
        e2e(KID).put("iv", b64(16)),
        e2e(KID).put("iv", "!!not-base64!!!!"),
        e2e(KID).put("iv", Base64.getUrlEncoder().encodeToString(new byte[13]).substring(0, 17)),
        e2e(KID).put("ct", Base64.getEncoder().encodeToString(new byte[47]).replace('A', '+')),
        e2e(KID).put("ct", b64(48) + "="),
        e2e(KID).put("ct", b64(8)),
        e2e(KID).put("ct", ""),
        e2e(KID).put("sig", b64(63)),
        e2e(KID).put("kid", "kid with spaces"),
        e2e(KID).putNull("iv"),
        e2e(KID).put("iv", 12),
    };
    for (JsonObject e : bad) {
      assertRefused(send(api, alice, rid, enc("bad", e)), 400, "invalid_request");
    }
    assertRefused(send(api, alice, rid, new JsonObject().put("cid", "bad").put("e2e", "not an object")), 400,
        "invalid_request");
    assertStored(alice, rid, 0);
  }

  @Test
  void malformedSendsAreInvalid() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "plain", List.of());
    JsonObject[] bad = {
        new JsonObject().put("text", "no cid"),
        text("", "empty cid"),
        text("has space", "bad cid"),
        text("c".repeat(65), "long cid"),
        new JsonObject().put("cid", "none"),
        text("blank", "   "),
        text("both", "text").put("e2e", e2e(KID)),
    };
    for (JsonObject b : bad) {
      assertRefused(send(api, alice, rid, b), 400, "invalid_request");
    }
    assertStored(alice, rid, 0);
  }

  @Test
  void textOver16384CharactersIsTooLarge() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "plain", List.of());
    assertRefused(send(api, alice, rid, text("big", "x".repeat(16_385))), 413, "too_large");
    assertStored(alice, rid, 0);
    assertEquals(201, send(api, alice, rid, text("big", "x".repeat(16_384))).status());
    String encrypted = encryptedRoomWithKey(alice);
    assertRefused(send(api, alice, encrypted, enc("bigct", e2e(KID).put("ct", b64(49_153)))), 413, "too_large");
    assertStored(alice, encrypted, 0);
  }

  /**
   * Sends remember a room's rules and members between sends; every change must be seen by the
   * very next send: a removed member is refused at once, and so is plain text once the room is
   * encrypted.
   */
  @Test
  void theNextSendAfterARoomChangeSeesTheChange() {
    Api.User owner = api.newUser("gateowner");
    Api.User guest = api.newUser("gateguest");
    String rid = api.createRoom(owner, "p", "changing", List.of(guest.username()));
    assertEquals(201, send(api, guest, rid, text("g1", "hello")).status());
    assertEquals(201, send(api, owner, rid, text("o1", "hi")).status());
    assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + guest.id(), owner.token()).status());
    assertEquals("not_member", send(api, guest, rid, text("g2", "still here?")).errorCode());
    assertEquals(200, api.patch("/api/v1/rooms/" + rid, owner.token(), new JsonObject().put("encrypted", true)).status());
    assertEquals("plaintext_not_allowed", send(api, owner, rid, text("o2", "in the clear")).errorCode());
    JsonObject h = api.get("/api/v1/rooms/" + rid + "/messages?after=0", owner.token()).json();
    assertEquals(List.of("g1", "o1"), h.getJsonArray("messages").stream().map(o -> (JsonObject) o)
        .filter(x -> !x.containsKey("event")).map(x -> x.getString("cid")).toList(),
        "only the two accepted sends are stored");
  }
}
