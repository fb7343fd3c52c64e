package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ws.sendRatePerSecond: over it a send is refused with rate_limited; at twice it the socket is closed with 4029. */
class SendRateIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("ws.sendRatePerSecond", 2).build();
  static final Api api = node.api();

  @Test
  void sendingOverTheRateIsRefusedThenDisconnected() throws Exception {
    Api.User u = api.newUser("rate");
    String rid = api.createRoom(u, "p", "rate", List.of());
    try (WsClient c = WsClient.authed(node, u)) {
      // a burst of ten seconds' worth (20) passes, the rest is refused
      for (int i = 0; i < 21; i++) {
        c.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "a" + i).put("text", "t"));
      }
      int acks = 0;
      int limited = 0;
      for (int i = 0; i < 21; i++) {
        JsonObject f = c.await(x -> "ack".equals(x.getString("op")) || "error".equals(x.getString("op")), 5);
        if ("ack".equals(f.getString("op"))) {
          acks++;
        } else {
          assertEquals("rate_limited", f.getString("code"));
          limited++;
        }
      }
      assertEquals(20, acks);
      assertEquals(1, limited);
      for (int i = 0; i < 20 && !c.isClosed(); i++) {
        c.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "b" + i).put("text", "t"));
      }
      assertEquals(4029, c.awaitClose(5));
    }
    long head = api.get("/api/v1/rooms/" + rid + "/messages", u.token()).json().getLong("head");
    assertTrue(head >= 20 && head <= 21, "only allowed sends are stored, head " + head);
  }

  @Test
  void oneBudgetPerUserCoversTheirSocketsAndRestSends() throws Exception {
    Api.User u = api.newUser("shared");
    Api.User other = api.newUser("other");
    String rid = api.createRoom(u, "p", "shared", List.of(other.username()));
    try (WsClient a = WsClient.authed(node, u); WsClient b = WsClient.authed(node, u)) {
      int acks = 0;
      int limited = 0;
      for (int i = 0; i < 8; i++) {
        for (WsClient c : List.of(a, b)) {
          c.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "s" + i + (c == a ? "a" : "b"))
              .put("text", "t"));
          JsonObject f = c.await(x -> "ack".equals(x.getString("op")) || "error".equals(x.getString("op")), 5);
          if ("ack".equals(f.getString("op"))) {
            acks++;
          } else {
            limited++;
          }
        }
      }
      assertEquals(16, acks, "16 of the burst of 20, over two sockets");
      assertEquals(0, limited);
      int rest = 0;
      Api.Res r;
      do {
        r = api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", "rest-" + rest).put("text", "t"));
        rest++;
      } while (r.status() == 201 && rest < 30);
      assertEquals(429, r.status(), r.raw());
      assertEquals("rate_limited", r.errorCode());
      assertTrue(rest >= 5 && rest <= 8, "REST sends draw on the same budget: refused after " + rest);
      assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", other.token(),
          new JsonObject().put("cid", "x").put("text", "t")).status(), "another user's budget is their own");
    }
  }
}
