package io.sealroom.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Adding, removing and leaving members, as owner, member and outsider. */
class RoomMembersIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  static Api.Res add(Api.User caller, String rid, String username) {
    return api.post("/api/v1/rooms/" + rid + "/members", caller.token(), new JsonObject().put("username", username));
  }

  static Api.Res remove(Api.User caller, String rid, String uid) {
    return api.delete("/api/v1/rooms/" + rid + "/members/" + uid, caller.token());
  }

  static void assertError(Api.Res r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.errorCode(), r.raw());
  }

  static Set<String> memberIds(String rid, Api.User viewer) {
    Api.Res r = api.get("/api/v1/rooms/" + rid, viewer.token());
    assertEquals(200, r.status(), r.raw());
    return r.json().getJsonArray("members").stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
  }

  static Set<String> ownRoomIds(Api.User u) {
    JsonArray rooms = api.get("/api/v1/rooms", u.token()).json().getJsonArray("rooms");
    return rooms.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
  }

  @Test
  void ownerAddsAMember() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of());
    Api.Res r = add(alice, rid, bob.username().toUpperCase());
    assertEquals(200, r.status(), r.raw());
    assertEquals(Set.of(alice.id(), bob.id()), memberIds(rid, alice));
    assertTrue(ownRoomIds(bob).contains(rid));
    assertEquals(200, api.get("/api/v1/rooms/" + rid, bob.token()).status());
    // adding an existing member again changes nothing
    assertEquals(200, add(alice, rid, bob.username()).status());
    assertEquals(2, memberIds(rid, alice).size());
  }

  @Test
  void membersAndOutsidersCannotAdd() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    Api.User eve = api.newUser("eve");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    assertError(add(bob, rid, carol.username()), 403, "not_owner");
    assertError(add(eve, rid, carol.username()), 403, "not_member");
    assertError(add(eve, rid, eve.username()), 403, "not_member");
    assertError(add(alice, rid, "no-such-user-x3"), 404, "not_found");
    assertError(add(alice, "NoSuchRoom0000000000", carol.username()), 404, "not_found");
    assertError(api.post("/api/v1/rooms/" + rid + "/members", alice.token(), new JsonObject()), 400, "invalid_request");
    assertEquals(Set.of(alice.id(), bob.id()), memberIds(rid, alice));
  }

  @Test
  void anyoneJoinsAPublicChannelThemselvesButOnlyTheOwnerAddsOthers() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User eve = api.newUser("eve");
    String rid = api.createRoom(alice, "c", "lobby", List.of());
    assertError(add(eve, rid, bob.username()), 403, "not_member");
    Api.Res join = add(eve, rid, eve.username());
    assertEquals(200, join.status(), join.raw());
    assertEquals(Set.of(alice.id(), eve.id()), memberIds(rid, alice));
    assertTrue(ownRoomIds(eve).contains(rid));
    assertError(add(eve, rid, bob.username()), 403, "not_owner");
    assertFalse(memberIds(rid, alice).contains(bob.id()));
  }

  @Test
  void directMessagesTakeNoMoreMembers() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    String rid = api.createRoom(alice, "d", null, List.of(bob.username()));
    assertError(add(alice, rid, carol.username()), 403, "forbidden");
    assertError(add(carol, rid, carol.username()), 403, "forbidden");
    assertEquals(Set.of(alice.id(), bob.id()), memberIds(rid, alice));
  }

  @Test
  void ownerRemovesAMemberWhoThenLosesAccess() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    Api.Res r = remove(alice, rid, bob.id());
    assertEquals(200, r.status(), r.raw());
    assertEquals(Set.of(alice.id()), memberIds(rid, alice));
    assertError(api.get("/api/v1/rooms/" + rid, bob.token()), 403, "not_member");
    assertError(api.post("/api/v1/rooms/" + rid + "/messages", bob.token(),
        new JsonObject().put("cid", "after-removal").put("text", "hi")), 403, "not_member");
    assertFalse(ownRoomIds(bob).contains(rid));
    assertEquals(false, api.get("/api/v1/rooms/" + rid, alice.token()).json().getBoolean("rotationDue"),
        "a plain room needs no key rotation");
  }

  @Test
  void aMemberLeaves() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    Api.Res r = remove(bob, rid, bob.id());
    assertEquals(200, r.status(), r.raw());
    assertEquals(Set.of(alice.id()), memberIds(rid, alice));
    assertFalse(ownRoomIds(bob).contains(rid));
  }

  @Test
  void membersCannotRemoveOthersAndOutsidersCannotRemoveAnyone() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    Api.User eve = api.newUser("eve");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username(), carol.username()));
    assertError(remove(bob, rid, carol.id()), 403, "not_owner");
    assertError(remove(bob, rid, alice.id()), 403, "not_owner");
    assertError(remove(eve, rid, bob.id()), 403, "not_member");
    assertError(remove(alice, rid, eve.id()), 404, "not_found");
    assertError(remove(alice, "NoSuchRoom0000000000", bob.id()), 404, "not_found");
    assertEquals(Set.of(alice.id(), bob.id(), carol.id()), memberIds(rid, alice));
  }

  @Test
  void removingOrLeavingAnEncryptedRoomMarksItForKeyRotation() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    JsonObject body = new JsonObject().put("type", "p").put("name", "secret").put("encrypted", true)
        .put("members", new JsonArray().add(bob.username()).add(carol.username()));
    String rid = api.post("/api/v1/rooms", alice.token(), body).json().getString("id");
    assertEquals(false, api.get("/api/v1/rooms/" + rid, alice.token()).json().getBoolean("rotationDue"));
    assertEquals(200, remove(alice, rid, bob.id()).status());
    JsonObject room = api.get("/api/v1/rooms/" + rid, carol.token()).json();
    assertEquals(true, room.getBoolean("rotationDue"), room.encode());
    assertEquals(true, room.getBoolean("encrypted"));

    String other = api.post("/api/v1/rooms", alice.token(), body.copy().put("name", "secret2")).json().getString("id");
    assertEquals(200, remove(carol, other, carol.id()).status());
    assertEquals(true, api.get("/api/v1/rooms/" + other, alice.token()).json().getBoolean("rotationDue"));
  }
}
