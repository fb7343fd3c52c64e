package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sealroom.testing.Api;
import io.sealroom.testing.TestNode;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketSmokeIT {
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
    api = node.api();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void sendIsAckedAndDeliveredToSubscribers() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    try (WsClient a = WsClient.authed(node, alice); WsClient b = WsClient.authed(node, bob)) {
      b.send(new JsonObject().put("op", "sub").put("room", rid).put("ref", 1));
      JsonObject subbed = b.awaitOp("subbed", 5);
      assertEquals(0L, subbed.getLong("head"));
      a.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "c1").put("text", "hello"));
      JsonObject ack = a.awaitOp("ack", 5);
      assertEquals(1L, ack.getLong("seq"));
      JsonObject msg = b.awaitOp("msg", 5);
      assertEquals("hello", msg.getString("text"));
      assertEquals("c1", msg.getString("cid"));
      assertEquals(alice.username(), msg.getJsonObject("from").getString("username"));
      assertNotNull(msg.getString("id"));
    }
  }
}
