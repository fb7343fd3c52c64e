package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebSocketSmokeIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  @Test
  void sendIsAckedAndDeliveredToSubscribers() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    try (WsClient a = WsClient.authed(node, alice); WsClient b = WsClient.authed(node, bob)) {
      b.send(new JsonObject().put("op", "sub").put("room", rid).put("ref", 1));
      JsonObject subbed = b.awaitOp("subbed", 5);
      assertEquals(1L, subbed.getLong("head"), "room.created");
      a.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "c1").put("text", "hello"));
      JsonObject ack = a.awaitOp("ack", 5);
      assertEquals(2L, ack.getLong("seq"));
      JsonObject msg = b.awaitOp("msg", 5);
      assertEquals("hello", msg.getString("text"));
      assertEquals("c1", msg.getString("cid"));
      assertEquals(alice.username(), msg.getJsonObject("from").getString("username"));
      assertNotNull(msg.getString("id"));
    }
  }

  @Test
  void aConnectionsSendsAreNumberedInTheOrderItMadeThemWhileTheRoomKeepsChanging() throws Exception {
    Api.User alice = api.newUser("orderly");
    String rid = api.createRoom(alice, "p", "busy", List.of());
    java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
    // every member change forgets what sends knew of the room: their checks read the store again
    Thread churn = new Thread(() -> {
      while (sending.get()) {
        Api.User u = api.newUser("churn");
        api.post("/api/v1/rooms/" + rid + "/members", alice.token(), new JsonObject().put("username", u.username()));
        api.delete("/api/v1/rooms/" + rid + "/members/" + u.id(), alice.token());
      }
    }, "member-churn");
    churn.start();
    int n = 300;
    try (WsClient a = WsClient.authed(node, alice)) {
      for (int i = 0; i < n; i++) {
        a.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "o" + i).put("text", "m" + i));
        if (i % 30 == 29) {
          Thread.sleep(20);
        }
      }
      // the contract is the numbering (protocol.md "A sender's order"); acks of different store
      // batches may reach the socket in another order, so they are matched by cid
      java.util.Map<String, Long> seqs = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        JsonObject f = a.await(x -> "ack".equals(x.getString("op")) || "error".equals(x.getString("op")), 20);
        assertEquals("ack", f.getString("op"), f.encode());
        seqs.put(f.getString("cid"), f.getLong("seq"));
      }
      long last = 0;
      for (int i = 0; i < n; i++) {
        assertNotNull(seqs.get("o" + i), "send o" + i + " acknowledged");
        org.junit.jupiter.api.Assertions.assertTrue(seqs.get("o" + i) > last, "send o" + i + " numbered after the one before it");
        last = seqs.get("o" + i);
      }
    } finally {
      sending.set(false);
      churn.join(20_000);
    }
  }
}
