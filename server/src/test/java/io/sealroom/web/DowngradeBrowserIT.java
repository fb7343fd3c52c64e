package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * No silent downgrade (issue 14): in a direct message both members own it; turning encryption
 * off is refused where the server does not allow it, and where it does, the other member sees
 * it at the top of the room and in the timeline.
 */
class DowngradeBrowserIT {
  static final String T = "downgrade";

  /**
   * Registers alice and bob, who set up keys in their browsers; alice opens an encrypted DM with
   * bob and writes in it; bob opens it. Answers bob's username.
   */
  static String encryptedDm(Api api, Browser a, Browser b) {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    a.login(alice, "password-" + alice);
    b.login(bob, "password-" + bob);
    Flows.setUp(a);
    Flows.setUp(b);
    Flows.createRoom(a, "d", null, bob, true);
    a.waitFor(By.cssSelector("#room-head-key .key-icon"));
    Flows.send(a, "sealed hello");
    b.waitFor(b.roomItem(alice));
    b.openRoom(alice);
    b.waitFor(Flows.verifiedOnMessage("sealed hello"));
    return bob;
  }

  static void openEdit(Browser b) {
    b.click(By.id("room-info-btn"));
    b.click(By.id("edit-room"));
    b.waitFor(By.id("edit-room-form"));
  }

  @Test
  void turningEncryptionOffIsNotOfferedWhereTheServerRefusesIt() throws Exception {
    Browser.assumeInstalled();
    try (TestNode node = TestNode.start(Map.of("e2e.minKdfIterations", 1000));
        Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      Api api = node.api();
      String bob = encryptedDm(api, a, b);
      openEdit(b);
      assertTrue(b.driver.findElement(By.id("edit-room-encrypted")).isSelected());
      assertFalse(b.driver.findElement(By.id("edit-room-encrypted")).isEnabled(), "the switch stays on");
      assertTrue(b.waitFor(By.id("edit-room-encrypted-hint")).getText().contains("cannot be turned off"));
      b.screenshot(T, "encryption-cannot-be-turned-off");
      Axe axe = new Axe(T);
      axe.check(b, "encryption-cannot-be-turned-off");
      axe.assertClean();
      // and the server refuses it even when asked directly
      String token = api.login(bob, "password-" + bob).json().getString("token");
      String rid = api.get("/api/v1/rooms", token).json().getJsonArray("rooms").getJsonObject(0).getString("id");
      Api.Res off = api.patch("/api/v1/rooms/" + rid, token, new io.vertx.core.json.JsonObject().put("encrypted", false));
      assertEquals("encryption_required", off.errorCode());
      Flows.send(a, "still sealed");
      b.waitFor(Flows.verifiedOnMessage("still sealed"));
      assertTrue(b.present(By.cssSelector("#room-head-key .key-icon")));
    }
  }

  @Test
  void whereItIsAllowedEveryMemberSeesIt() throws Exception {
    Browser.assumeInstalled();
    try (TestNode node = TestNode.start(Map.of("e2e.minKdfIterations", 1000, "e2e.allowDisable", true));
        Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      Api api = node.api();
      String bob = encryptedDm(api, a, b);
      openEdit(b);
      b.driver.findElement(By.cssSelector("label[for='edit-room-encrypted']")).click();
      b.click(By.id("save-room"));
      b.waitGone(By.id("room-info-dialog"));

      String notice = a.waitFor(By.id("room-downgrade")).getText();
      assertTrue(notice.contains(bob + " turned off end-to-end encryption"), notice);
      assertTrue(a.waitFor(By.cssSelector("li.event-encryption-disabled")).getText().contains("turned off"));
      a.waitGone(By.cssSelector("#room-head-key .key-icon"));
      a.screenshot(T, "downgrade-visible-to-the-other-member");
      Axe axe = new Axe(T);
      axe.check(a, "downgrade-notice");
      axe.assertClean();
      assertTrue(b.waitFor(By.id("room-downgrade")).getText().contains("You turned off"));
    }
  }
}
