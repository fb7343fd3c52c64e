package io.sealroom.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timeline events (docs/protocol.md "Timeline events"): each change of a room is stored in its
 * history with the next seq, delivered live, replayed by since and by history, and never found
 * by search.
 */
class TimelineEventsIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  static Api.User withKeys(String prefix) {
    return api.newUserWithKeys(prefix, ITER);
  }

  static List<JsonObject> history(Api.User u, String rid) {
    Api.Res r = api.get("/api/v1/rooms/" + rid + "/messages?after=0&limit=200", u.token());
    assertEquals(200, r.status(), r.raw());
    return r.json().getJsonArray("messages").stream().map(o -> (JsonObject) o).toList();
  }

  static List<JsonObject> events(List<JsonObject> messages) {
    return messages.stream().filter(m -> m.containsKey("event")).toList();
  }

  static JsonObject awaitEvent(WsClient ws, String type) throws InterruptedException {
    return ws.await(f -> "msg".equals(f.getString("op")) && f.getJsonObject("event") != null
        && type.equals(f.getJsonObject("event").getString("type")), 10);
  }

  @Test
  void aRoomsLifeIsInItsTimelineLiveInHistoryAndOnResume() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    String rid = api.createRoom(alice, "p", "plans", List.of(bob.username()));
    try (WsClient ws = WsClient.authed(node, bob)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 0));
      JsonObject created = awaitEvent(ws, "room.created");
      assertEquals(1, created.getLong("seq"));
      assertEquals(alice.id(), created.getJsonObject("from").getString("id"));
      assertFalse(created.containsKey("cid"), "an event has no cid: " + created);
      assertFalse(created.containsKey("text") || created.containsKey("e2e"), created.encode());

      assertEquals(200, api.post("/api/v1/rooms/" + rid + "/members", alice.token(),
          new JsonObject().put("username", carol.username())).status());
      JsonObject added = awaitEvent(ws, "member.added");
      assertEquals(carol.id(), added.getJsonObject("event").getJsonObject("user").getString("id"));
      assertEquals(carol.username(), added.getJsonObject("event").getJsonObject("user").getString("username"));
      assertEquals(alice.id(), added.getJsonObject("from").getString("id"));

      assertEquals(200, api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("name", "launch")).status());
      assertEquals("launch", awaitEvent(ws, "room.renamed").getJsonObject("event").getString("name"));
      assertEquals(200, api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("name", "launch")).status());

      assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + carol.id(), carol.token()).status());
      JsonObject left = awaitEvent(ws, "member.left");
      assertEquals(carol.id(), left.getJsonObject("from").getString("id"));
      assertEquals(carol.id(), left.getJsonObject("event").getJsonObject("user").getString("id"));
    }
    try (WsClient aliceWs = WsClient.authed(node, alice); WsClient bobWs = WsClient.authed(node, bob)) {
      aliceWs.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 4));
      aliceWs.awaitOp("subbed", 10);
      assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + bob.id(), alice.token()).status());
      JsonObject removed = awaitEvent(aliceWs, "member.removed");
      assertEquals(bob.id(), removed.getJsonObject("event").getJsonObject("user").getString("id"));
      assertEquals(alice.id(), removed.getJsonObject("from").getString("id"));
      // the removed user is told who removed them
      JsonObject gone = bobWs.await(f -> "room".equals(f.getString("op")) && f.containsKey("removed"), 10);
      assertEquals("removed", gone.getJsonObject("removed").getString("reason"));
      assertEquals(alice.username(), gone.getJsonObject("removed").getJsonObject("by").getString("username"));
    }

    List<String> types = events(history(alice, rid)).stream().map(m -> m.getJsonObject("event").getString("type")).toList();
    assertEquals(List.of("room.created", "member.added", "room.renamed", "member.left", "member.removed"), types,
        "an unchanged name records nothing");
    List<JsonObject> all = history(alice, rid);
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).getLong("seq"), "events take seqs like messages");
    }
    try (WsClient ws = WsClient.authed(node, alice)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 3));
      assertEquals("member.left", awaitEvent(ws, "member.left").getJsonObject("event").getString("type"));
      assertEquals(5, awaitEvent(ws, "member.removed").getLong("seq"));
    }
    for (String q : List.of("plans", "launch", "member", "room.created", carol.username())) {
      Api.Res found = api.get("/api/v1/search?q=" + q, alice.token());
      assertEquals(200, found.status());
      assertEquals(0, found.json().getJsonArray("messages").size(), "events never match search: " + q);
    }
  }

  @Test
  void encryptionAndKeyEventsAreInTheTimeline() throws Exception {
    Api.User alice = withKeys("alice");
    Api.User bob = withKeys("bob");
    String rid = api.createRoom(alice, "p", "vault", List.of(bob.username()));
    assertEquals(200, api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", true)).status());
    String kid = E2eShapes.kid();
    assertEquals(200, api.post("/api/v1/rooms/" + rid + "/e2e/key-id", alice.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
    String next = E2eShapes.kid();
    Api.Res rotated = api.post("/api/v1/rooms/" + rid + "/e2e/rotate", alice.token(), new JsonObject()
        .put("previousKid", kid).put("kid", next).put("key", E2eShapes.memberKey(next)));
    assertEquals(200, rotated.status(), rotated.raw());

    List<JsonObject> events = events(history(bob, rid));
    assertEquals(List.of("room.created", "encryption.enabled", "key.rotated"),
        events.stream().map(m -> m.getJsonObject("event").getString("type")).toList());
    JsonObject rot = events.get(2).getJsonObject("event");
    assertEquals(next, rot.getString("kid"));
    assertEquals("owner", rot.getString("reason"));

    JsonObject answer = api.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "p").put("name", "sealed")
        .put("encrypted", true).put("members", new JsonArray().add(bob.username()))).json();
    String created = answer.getString("id");
    assertEquals(2L, answer.getLong("head"), "the creation answer counts its events: resuming from it skips them");
    assertEquals(List.of("room.created", "encryption.enabled"), events(history(bob, created)).stream()
        .map(m -> m.getJsonObject("event").getString("type")).toList(), "a room created encrypted says so");
  }

  static Api.Res reset(Api a, Api.User u) {
    return a.call("DELETE", "/api/v1/e2e/keys", u.token(), new JsonObject().put("password", "password-" + u.username()).encode());
  }

  static String kid(Api a, Api.User u, String rid) {
    return a.get("/api/v1/rooms/" + rid, u.token()).json().getString("e2eKeyId");
  }

  static Api.Res rotate(Api a, Api.User u, String rid) {
    String next = E2eShapes.kid();
    return a.post("/api/v1/rooms/" + rid + "/e2e/rotate", u.token(), new JsonObject().put("previousKid", kid(a, u, rid))
        .put("kid", next).put("key", E2eShapes.memberKey(next)));
  }

  /** Every type of the contract in one room's life: live to a member, in history, replayed by since, never searched. */
  @Test
  void everyEventTypeIsLiveInHistoryReplayedAndNeverSearched() throws Exception {
    try (TestNode lax = TestNode.start(Map.of("e2e.minKdfIterations", ITER, "e2e.allowDisable", true))) {
      Api a = lax.api();
      Api.User alice = a.newUserWithKeys("alice", ITER);
      Api.User bob = a.newUserWithKeys("bob", ITER);
      Api.User carol = a.newUser("carol");
      Api.User dave = a.newUser("dave");
      String rid = a.createRoom(alice, "p", "everything", List.of(bob.username()));
      List<JsonObject> live;
      try (WsClient ws = WsClient.authed(lax, bob)) {
        ws.send(new JsonObject().put("op", "sub").put("room", rid));
        ws.awaitOp("subbed", 10);
        assertEquals(200, a.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", true)).status());
        String kid = E2eShapes.kid();
        assertEquals(200, a.post("/api/v1/rooms/" + rid + "/e2e/key-id", alice.token(),
            new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
        assertEquals(200, a.post("/api/v1/rooms/" + rid + "/members", alice.token(),
            new JsonObject().put("username", carol.username())).status());
        assertEquals(200, a.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("name", "all of it")).status());
        assertEquals(200, a.delete("/api/v1/rooms/" + rid + "/members/" + carol.id(), carol.token()).status());
        assertEquals(200, a.post("/api/v1/rooms/" + rid + "/members", alice.token(),
            new JsonObject().put("username", dave.username())).status());
        assertEquals(200, a.delete("/api/v1/rooms/" + rid + "/members/" + dave.id(), alice.token()).status());
        assertEquals(200, rotate(a, alice, rid).status(), "the rotation the removal made due");
        assertEquals(200, rotate(a, alice, rid).status(), "an owner's rotation");
        assertEquals(200, reset(a, bob).status());
        assertEquals(200, a.call("PUT", "/api/v1/e2e/keys", bob.token(), E2eShapes.keysBody(ITER).encode()).status());
        assertEquals(200, reset(a, alice).status(), "now nobody holds the room key");
        assertEquals(200, rotate(a, bob, rid).status(), "bob recovers the room");
        assertEquals(200, a.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", false)).status());
        live = withoutOp(ws.drain(1500));
      }
      List<String> expected = List.of("room.created", "encryption.enabled", "member.added", "room.renamed", "member.left",
          "member.added", "member.removed", "key.rotated", "key.rotated", "user.keys.changed", "key.rotated",
          "encryption.disabled");
      List<JsonObject> stored = events(historyOn(a, alice, rid));
      assertEquals(expected, stored.stream().map(m -> m.getJsonObject("event").getString("type")).toList());
      assertEquals(TimelineEvent.TYPES, new java.util.HashSet<>(expected), "every type of the contract");
      assertEquals(List.of("member_removed", "owner", "recovered"), stored.stream()
          .filter(m -> "key.rotated".equals(m.getJsonObject("event").getString("type")))
          .map(m -> m.getJsonObject("event").getString("reason")).toList());
      assertEquals(stored.subList(1, stored.size()), live, "delivered live as stored (room.created came before the sub)");
      try (WsClient ws = WsClient.authed(lax, alice)) {
        ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 0));
        ws.awaitOp("subbed", 10);
        assertEquals(stored, withoutOp(ws.drain(1000)), "replayed by since as stored");
      }
      for (String q : List.of("key", "encryption", "everything", "recovered", "rotated", bob.username())) {
        assertEquals(0, a.get("/api/v1/search?q=" + q, alice.token()).json().getJsonArray("messages").size(), q);
      }
    }
  }

  /** The msg frames among these, as history shows them (without op). */
  static List<JsonObject> withoutOp(List<JsonObject> frames) {
    return frames.stream().filter(f -> "msg".equals(f.getString("op"))).map(f -> {
      JsonObject c = f.copy();
      c.remove("op");
      return c;
    }).toList();
  }

  static List<JsonObject> historyOn(Api a, Api.User u, String rid) {
    Api.Res r = a.get("/api/v1/rooms/" + rid + "/messages?after=0&limit=200", u.token());
    assertEquals(200, r.status(), r.raw());
    return r.json().getJsonArray("messages").stream().map(o -> (JsonObject) o).toList();
  }

  @Test
  void newKeysAfterAResetAreAnnouncedInEveryRoomOfTheUser() throws Exception {
    Api.User alice = withKeys("alice");
    Api.User bob = api.newUser("bob");
    String r1 = api.createRoom(alice, "p", "one", List.of(bob.username()));
    String r2 = api.createRoom(bob, "c", "two", List.of(alice.username()));
    String firstUkid = api.get("/api/v1/users/" + alice.id() + "/keys", bob.token()).json().getString("ukid");
    Api.Res reset = api.call("DELETE", "/api/v1/e2e/keys", alice.token(),
        new JsonObject().put("password", "password-" + alice.username()).encode());
    assertEquals(200, reset.status(), reset.raw());
    assertTrue(events(history(bob, r1)).stream().noneMatch(m -> "user.keys.changed"
        .equals(m.getJsonObject("event").getString("type"))), "a reset alone announces nothing yet");
    Api.Res put = api.call("PUT", "/api/v1/e2e/keys", alice.token(), E2eShapes.keysBody(ITER).encode());
    assertEquals(200, put.status(), put.raw());
    String newUkid = put.json().getString("ukid");
    assertFalse(newUkid.equals(firstUkid));
    for (String rid : List.of(r1, r2)) {
      List<JsonObject> changed = events(history(bob, rid)).stream()
          .filter(m -> "user.keys.changed".equals(m.getJsonObject("event").getString("type"))).toList();
      assertEquals(1, changed.size(), "one line per room: " + rid);
      JsonObject e = changed.get(0).getJsonObject("event");
      assertEquals(alice.id(), e.getJsonObject("user").getString("id"));
      assertEquals(newUkid, e.getString("ukid"));
      assertEquals(alice.id(), changed.get(0).getJsonObject("from").getString("id"));
    }
    // a first upload (no earlier version) announces nothing
    Api.User dave = api.newUser("dave");
    String r3 = api.createRoom(dave, "p", "three", List.of());
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", dave.token(), E2eShapes.keysBody(ITER).encode()).status());
    assertNull(events(history(dave, r3)).stream().filter(m -> "user.keys.changed"
        .equals(m.getJsonObject("event").getString("type"))).findFirst().orElse(null));
  }
}
