package io.sealroom.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Room creation, listing, reading, renaming, encryption toggling and user lookup, as owner, member and outsider. */
class RoomsIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  static Api.Res create(Api a, Api.User u, String type, String name, List<String> members, Boolean encrypted) {
    JsonObject b = new JsonObject().put("type", type).put("members", new JsonArray(members));
    if (name != null) {
      b.put("name", name);
    }
    if (encrypted != null) {
      b.put("encrypted", encrypted);
    }
    return a.post("/api/v1/rooms", u.token(), b);
  }

  static void assertError(Api.Res r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.errorCode(), r.raw());
  }

  static Set<String> ids(JsonArray a, String field) {
    return a.stream().map(o -> ((JsonObject) o).getString(field)).collect(Collectors.toSet());
  }

  @Test
  void creatorOwnsANewPrivateGroupAndMembersAreAdded() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.Res r = create(api, alice, "p", "  team  ", List.of(bob.username().toUpperCase()), null);
    assertEquals(201, r.status(), r.raw());
    JsonObject room = r.json();
    assertNotNull(room.getString("id"));
    assertEquals("p", room.getString("type"));
    assertEquals("team", room.getString("name"));
    assertEquals(alice.id(), room.getString("ownerId"));
    assertEquals(false, room.getBoolean("encrypted"));
    assertNull(room.getString("e2eKeyId"));
    assertEquals(false, room.getBoolean("rotationDue"));
    JsonArray members = room.getJsonArray("members");
    assertEquals(Set.of(alice.id(), bob.id()), ids(members, "id"));
    for (Object o : members) {
      JsonObject m = (JsonObject) o;
      assertEquals(m.getString("id").equals(alice.id()) ? "owner" : "member", m.getString("role"));
    }
  }

  @Test
  void createsAPublicChannelAndAnEncryptedPrivateGroup() {
    Api.User alice = api.newUser("alice");
    Api.Res c = create(api, alice, "c", "general", List.of(), null);
    assertEquals(201, c.status(), c.raw());
    assertEquals("c", c.json().getString("type"));
    assertEquals(alice.id(), c.json().getString("ownerId"));
    Api.Res p = create(api, alice, "p", "secret", List.of(), true);
    assertEquals(201, p.status(), p.raw());
    assertEquals(true, p.json().getBoolean("encrypted"));
  }

  @Test
  void directMessageIsCreatedOnceAndReturnedFromEitherSide() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.Res first = create(api, alice, "d", null, List.of(bob.username()), null);
    assertEquals(201, first.status(), first.raw());
    String rid = first.json().getString("id");
    assertEquals("d", first.json().getString("type"));
    assertNull(first.json().getString("name"));
    assertEquals(Set.of(alice.id(), bob.id()), ids(first.json().getJsonArray("members"), "id"));
    Api.Res again = create(api, alice, "d", null, List.of(bob.username()), null);
    assertEquals(200, again.status(), again.raw());
    assertEquals(rid, again.json().getString("id"));
    Api.Res fromBob = create(api, bob, "d", null, List.of(alice.username()), null);
    assertEquals(200, fromBob.status(), fromBob.raw());
    assertEquals(rid, fromBob.json().getString("id"));
    long dms = api.get("/api/v1/rooms", bob.token()).json().getJsonArray("rooms").stream()
        .filter(o -> "d".equals(((JsonObject) o).getString("type"))).count();
    assertEquals(1, dms);
  }

  @Test
  void concurrentDirectMessageCreationFromBothSidesMakesOneRoom() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      List<java.util.concurrent.Future<Api.Res>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        boolean fromAlice = i % 2 == 0;
        fs.add(pool.submit(() -> fromAlice ? create(api, alice, "d", null, List.of(bob.username()), null)
            : create(api, bob, "d", null, List.of(alice.username()), null)));
      }
      Set<String> rids = new java.util.HashSet<>();
      for (java.util.concurrent.Future<Api.Res> f : fs) {
        Api.Res r = f.get();
        assertTrue(r.status() == 201 || r.status() == 200, r.raw());
        rids.add(r.json().getString("id"));
      }
      assertEquals(1, rids.size(), "one DM: " + rids);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, api.get("/api/v1/rooms", alice.token()).json().getJsonArray("rooms").size());
  }

  @Test
  void privateGroupsAndDirectMessagesAreEncryptedByDefaultWhenConfigured() throws Exception {
    try (TestNode n = TestNode.start(Map.of("e2e.defaultEncrypted.private", true, "e2e.defaultEncrypted.direct", true,
        "metrics.enabled", false))) {
      Api a = n.api();
      Api.User alice = a.newUser("alice");
      Api.User bob = a.newUser("bob");
      assertEquals(true, create(a, alice, "p", "auto", List.of(), null).json().getBoolean("encrypted"));
      assertEquals(true, create(a, alice, "d", null, List.of(bob.username()), null).json().getBoolean("encrypted"));
      assertEquals(false, create(a, alice, "p", "opt-out", List.of(), false).json().getBoolean("encrypted"));
      assertEquals(false, create(a, alice, "c", "channel", List.of(), null).json().getBoolean("encrypted"));
    }
  }

  @Test
  void directMessageNeedsExactlyOneOtherUser() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    assertError(create(api, alice, "d", null, List.of(), null), 400, "invalid_request");
    assertError(create(api, alice, "d", null, List.of(bob.username(), carol.username()), null), 400, "invalid_request");
    assertError(create(api, alice, "d", null, List.of(alice.username()), null), 400, "invalid_request");
    assertEquals(0, api.get("/api/v1/rooms", alice.token()).json().getJsonArray("rooms").size());
  }

  @Test
  void refusesAnEncryptedChannelUnknownMembersAndBadTypes() {
    Api.User alice = api.newUser("alice");
    assertError(create(api, alice, "c", "open", List.of(), true), 400, "encryption_not_allowed");
    assertError(create(api, alice, "p", "team", List.of("no-such-user-x1"), null), 404, "not_found");
    Api.Res badType = create(api, alice, "x", "team", List.of(), null);
    assertError(badType, 400, "invalid_request");
    assertTrue(badType.json().getJsonObject("error").getString("message").contains("type"));
    assertError(api.post("/api/v1/rooms", alice.token(), new JsonObject().put("name", "n")), 400, "invalid_request");
    assertError(create(api, alice, "p", "", List.of(), null), 400, "invalid_request");
    assertError(create(api, alice, "p", "n".repeat(65), List.of(), null), 400, "invalid_request");
    assertEquals(0, api.get("/api/v1/rooms", alice.token()).json().getJsonArray("rooms").size(), "nothing created");
  }

  @Test
  void encryptionIsRefusedWhenE2eIsDisabled() throws Exception {
    try (TestNode off = TestNode.start(Map.of("e2e.enabled", false, "metrics.enabled", false))) {
      Api a = off.api();
      Api.User alice = a.newUser("alice");
      Api.User bob = a.newUser("bob");
      assertError(create(a, alice, "p", "team", List.of(), true), 403, "e2e_disabled");
      assertError(create(a, alice, "d", null, List.of(bob.username()), true), 403, "e2e_disabled");
      assertEquals(0, a.get("/api/v1/rooms", alice.token()).json().getJsonArray("rooms").size());
      String rid = a.createRoom(alice, "p", "team", List.of());
      assertError(a.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("encrypted", true)),
          403, "e2e_disabled");
      assertEquals(false, a.get("/api/v1/rooms/" + rid, alice.token()).json().getBoolean("encrypted"));
    }
  }

  @Test
  void listsOnlyTheCallersOwnRooms() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String shared = api.createRoom(alice, "p", "shared", List.of(bob.username()));
    String alone = api.createRoom(alice, "c", "alone", List.of());
    String bobs = api.createRoom(bob, "p", "bobs", List.of());
    Api.Res r = api.get("/api/v1/rooms", alice.token());
    assertEquals(200, r.status(), r.raw());
    JsonArray rooms = r.json().getJsonArray("rooms");
    assertEquals(Set.of(shared, alone), ids(rooms, "id"));
    for (Object o : rooms) {
      JsonObject room = (JsonObject) o;
      assertTrue(room.containsKey("encrypted") && room.containsKey("e2eKeyId") && room.containsKey("hasKey"), room.encode());
    }
    assertEquals(Set.of(shared, bobs), ids(api.get("/api/v1/rooms", bob.token()).json().getJsonArray("rooms"), "id"));
  }

  @Test
  void getShowsRoomAndMembersToMembersAndChannelsToAnyone() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User eve = api.newUser("eve");
    String p = api.createRoom(alice, "p", "private", List.of(bob.username()));
    String c = api.createRoom(alice, "c", "public", List.of());
    Api.Res asMember = api.get("/api/v1/rooms/" + p, bob.token());
    assertEquals(200, asMember.status(), asMember.raw());
    assertEquals("private", asMember.json().getString("name"));
    assertEquals(Set.of(alice.id(), bob.id()), ids(asMember.json().getJsonArray("members"), "id"));
    assertError(api.get("/api/v1/rooms/" + p, eve.token()), 403, "not_member");
    Api.Res channel = api.get("/api/v1/rooms/" + c, eve.token());
    assertEquals(200, channel.status(), channel.raw());
    assertEquals("public", channel.json().getString("name"));
    assertError(api.get("/api/v1/rooms/NoSuchRoom0000000000", alice.token()), 404, "not_found");
  }

  @Test
  void onlyTheOwnerRenames() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User eve = api.newUser("eve");
    String rid = api.createRoom(alice, "p", "before", List.of(bob.username()));
    Api.Res ok = api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject().put("name", "after"));
    assertEquals(200, ok.status(), ok.raw());
    assertEquals("after", ok.json().getString("name"));
    assertError(api.patch("/api/v1/rooms/" + rid, bob.token(), new JsonObject().put("name", "bob's")), 403, "not_owner");
    assertError(api.patch("/api/v1/rooms/" + rid, eve.token(), new JsonObject().put("name", "eve's")), 403, "not_member");
    assertError(api.patch("/api/v1/rooms/NoSuchRoom0000000000", alice.token(), new JsonObject().put("name", "x")),
        404, "not_found");
    assertError(api.patch("/api/v1/rooms/" + rid, alice.token(), new JsonObject()), 400, "invalid_request");
    assertEquals("after", api.get("/api/v1/rooms/" + rid, bob.token()).json().getString("name"));
  }

  @Test
  void ownerTurnsOnEncryptionOfPrivateGroupsAndDirectMessagesOnly() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String p = api.createRoom(alice, "p", "group", List.of(bob.username()));
    String d = api.createRoom(alice, "d", null, List.of(bob.username()));
    String c = api.createRoom(alice, "c", "channel", List.of(bob.username()));
    JsonObject on = new JsonObject().put("encrypted", true);
    assertError(api.patch("/api/v1/rooms/" + p, bob.token(), on), 403, "not_owner");
    assertEquals(false, api.get("/api/v1/rooms/" + p, alice.token()).json().getBoolean("encrypted"));
    Api.Res ok = api.patch("/api/v1/rooms/" + p, alice.token(), on);
    assertEquals(200, ok.status(), ok.raw());
    assertEquals(true, ok.json().getBoolean("encrypted"));
    assertEquals(true, api.get("/api/v1/rooms/" + p, bob.token()).json().getBoolean("encrypted"));
    Api.Res dm = api.patch("/api/v1/rooms/" + d, alice.token(), on);
    assertEquals(200, dm.status(), dm.raw());
    assertEquals(true, dm.json().getBoolean("encrypted"));
    assertError(api.patch("/api/v1/rooms/" + c, alice.token(), on), 400, "encryption_not_allowed");
    assertEquals(false, api.get("/api/v1/rooms/" + c, alice.token()).json().getBoolean("encrypted"));
    assertError(api.patch("/api/v1/rooms/" + d, alice.token(), new JsonObject().put("name", "dm")), 400, "invalid_request");
  }

  @Test
  void looksUpAUserByName() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.Res r = api.get("/api/v1/users?username=" + bob.username().toUpperCase(), alice.token());
    assertEquals(200, r.status(), r.raw());
    JsonArray users = r.json().getJsonArray("users");
    assertEquals(1, users.size());
    assertEquals(bob.id(), users.getJsonObject(0).getString("id"));
    assertEquals(bob.username(), users.getJsonObject(0).getString("username"));
    assertTrue(!r.raw().contains("passwordHash"));
    Api.Res none = api.get("/api/v1/users?username=no-such-user-x2", alice.token());
    assertEquals(200, none.status(), none.raw());
    assertEquals(0, none.json().getJsonArray("users").size());
    assertError(api.get("/api/v1/users", alice.token()), 400, "invalid_request");
  }
}
