package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Room keys without user action: the browsers hand the key to a member who joins with keys,
 * rotate it when a removed member makes the rotation due, and still read the messages of the
 * earlier key after a reload (kept, non-extractable, in IndexedDB).
 */
class RotationBrowserIT {
  static final String T = "rotation";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void handsTheKeyOverRotatesAfterARemovalAndKeepsOldKeys() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 6);
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    Api.User carol = api.newUser("carol"); // a member with keys but no browser
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", carol.token(), E2eShapes.keysBody(1000).encode()).status());
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");

    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Crew", bob + ", " + carol.username(), true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "before the rotation");
      b.waitFor(b.roomItem("Crew"));
      b.openRoom("Crew");
      b.waitFor(Flows.verifiedOnMessage("before the rotation"));

      String rid = Flows.roomId(api, aliceToken, "Crew");
      a.waitUntil("carol got the key from a browser", () ->
          api.get("/api/v1/rooms/" + rid + "/e2e/key", carol.token()).status() == 200);
      String kid1 = api.get("/api/v1/rooms/" + rid, aliceToken).json().getString("e2eKeyId");

      assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + carol.id(), aliceToken).status());
      a.waitUntil("a browser rotated the key", () -> {
        JsonObject room = api.get("/api/v1/rooms/" + rid, aliceToken).json();
        return !kid1.equals(room.getString("e2eKeyId")) && !room.getBoolean("rotationDue");
      });
      String kid2 = api.get("/api/v1/rooms/" + rid, aliceToken).json().getString("e2eKeyId");
      Flows.send(a, "after the rotation");
      b.waitFor(Flows.verifiedOnMessage("after the rotation"));
      JsonArray history = new JsonArray(api.get("/api/v1/rooms/" + rid + "/messages", aliceToken).json()
          .getJsonArray("messages").stream().filter(o -> !((JsonObject) o).containsKey("event")).toList()); // messages only
      assertEquals(kid1, history.getJsonObject(0).getJsonObject("e2e").getString("kid"));
      assertEquals(kid2, history.getJsonObject(history.size() - 1).getJsonObject("e2e").getString("kid"));
      assertNotEquals(kid1, kid2);
      assertEquals("not_member", api.get("/api/v1/rooms/" + rid + "/e2e/key", carol.token()).errorCode());

      b.driver.navigate().refresh();
      b.waitFor(By.id("shell"));
      assertTrue(b.present(b.roomItem("Crew")) || b.waitFor(b.roomItem("Crew")) != null);
      b.waitUntil("Crew open again", () -> "Crew".equals(b.driver.findElement(By.id("room-title")).getText()));
      b.waitFor(Flows.verifiedOnMessage("before the rotation"));
      b.waitFor(Flows.verifiedOnMessage("after the rotation"));
      b.screenshot(T, "after-reload-both-keys");
    }
  }
}
