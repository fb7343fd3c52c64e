package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Room changes reach the members' sockets as room frames; a removed member's live subscription ends at once. */
class RoomEventsIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  @Test
  void membersHearOfChangesAndARemovedMemberStopsReceiving() throws Exception {
    Api.User owner = api.newUser("own");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(owner, "p", "crew", List.of());
    try (WsClient o = WsClient.authed(node, owner); WsClient b = WsClient.authed(node, bob)) {
      assertEquals(200, api.post("/api/v1/rooms/" + rid + "/members", owner.token(),
          new JsonObject().put("username", bob.username())).status());
      JsonObject added = b.awaitOp("room", 5).getJsonObject("room");
      assertEquals(rid, added.getString("id"));
      assertEquals("crew", added.getString("name"));
      o.awaitOp("room", 5);

      b.send(new JsonObject().put("op", "sub").put("room", rid));
      b.awaitOp("subbed", 5);
      assertEquals(200, api.patch("/api/v1/rooms/" + rid, owner.token(), new JsonObject().put("name", "crew2")).status());
      assertEquals("crew2", b.awaitOp("room", 5).getJsonObject("room").getString("name"));

      assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + bob.id(), owner.token()).status());
      assertEquals(rid, b.awaitOp("room", 5).getJsonObject("room").getString("id"));
      api.post("/api/v1/rooms/" + rid + "/messages", owner.token(), new JsonObject().put("cid", "after").put("text", "secret plan"));
      List<JsonObject> later = b.drain(500);
      assertTrue(later.stream().noneMatch(f -> "msg".equals(f.getString("op"))), "removed member got " + later);
      b.send(new JsonObject().put("op", "sub").put("room", rid).put("ref", 1));
      assertEquals("not_member", b.awaitOp("error", 5).getString("code"));
      assertNull(b.poll(200));
    }
  }

  @Test
  void convertingARoomIsAnnouncedToItsMembers() throws Exception {
    Api.User owner = api.newUser("conv");
    Api.User peer = api.newUser("peer");
    String rid = api.createRoom(owner, "d", null, List.of(peer.username()));
    try (WsClient p = WsClient.authed(node, peer)) {
      assertEquals(200, api.patch("/api/v1/rooms/" + rid, owner.token(), new JsonObject().put("encrypted", true)).status());
      JsonObject room = p.awaitOp("room", 5).getJsonObject("room");
      assertEquals(true, room.getBoolean("encrypted"));
      assertEquals("d", room.getString("type"));
    }
  }
}
