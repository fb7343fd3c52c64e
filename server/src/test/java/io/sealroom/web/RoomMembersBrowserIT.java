package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Room management in Room info: an owner removes a member (Remove by each member, confirmed in
 * a dialog that names the person and, in an encrypted room, says the key will be rotated), and
 * "Leave room" asks first. The confirmation is a labelled modal: focus moves into it, Escape
 * closes it and focus returns to the button that opened it.
 */
class RoomMembersBrowserIT {
  static final String T = "room-members";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void anOwnerRemovesAMemberAfterConfirmingAndTheKeyIsRotated() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    String bobId = api.login(bob, "password-" + bob).json().getString("userId");
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Crew", bob, true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "before bob leaves");
      b.waitFor(b.roomItem("Crew"));
      b.openRoom("Crew");
      b.waitFor(Flows.verifiedOnMessage("before bob leaves"));
      b.click(By.id("room-info-btn"));
      b.waitFor(By.id("room-info-dialog"));
      assertTrue(b.all(By.cssSelector("#room-info-dialog .remove-member")).isEmpty(), "only owners remove members");
      b.driver.findElement(By.cssSelector("#room-info-dialog .dialog-close")).click();

      String rid = Flows.roomId(api, aliceToken, "Crew");
      String kid1 = api.get("/api/v1/rooms/" + rid, aliceToken).json().getString("e2eKeyId");
      a.click(By.id("room-info-btn"));
      a.waitFor(By.id("room-info-dialog"));
      assertEquals(1, a.all(By.cssSelector("#room-info-dialog .remove-member")).size(), "one Remove: not for yourself");
      By remove = By.cssSelector("#room-info-dialog .remove-member[data-user-id='" + bobId + "']");
      assertEquals("Remove " + bob, a.driver.findElement(remove).getAttribute("aria-label"));
      a.click(remove);
      WebElement confirm = a.waitFor(By.id("confirm-dialog"));
      assertEquals("Remove " + bob + " from Crew?", a.driver.findElement(By.id("confirm-dialog-title")).getText());
      assertEquals("confirm-dialog-title", confirm.getAttribute("aria-labelledby"));
      String text = a.driver.findElement(By.id("confirm-dialog-text")).getText();
      assertTrue(text.contains(bob) && text.contains("room key will be rotated") && text.contains("cannot read"), text);
      assertTrue((Boolean) a.js("return document.getElementById('confirm-dialog').contains(document.activeElement);"),
          "focus is in the confirmation");
      a.screenshot(T, "remove-member-confirm");
      a.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      a.waitGone(By.id("confirm-dialog"));
      assertTrue(a.driver.findElement(By.id("room-info-dialog")).isDisplayed(), "Escape closes only the confirmation");
      assertEquals(bobId, a.js("return document.activeElement.dataset.userId;"), "focus returns to Remove");
      assertEquals(200, api.get("/api/v1/rooms/" + rid, api.login(bob, "password-" + bob).json().getString("token")).status(),
          "Escape removed nobody");

      a.click(remove);
      a.click(By.id("confirm-ok"));
      a.waitGone(By.id("confirm-dialog"));
      a.waitUntil("bob is no longer listed", () -> a.all(remove).isEmpty()
          && !a.driver.findElement(By.cssSelector("#room-info-dialog .members")).getText().contains(bob));
      a.screenshot(T, "member-removed");
      b.waitUntil("the room is gone from bob's list", () -> b.all(b.roomItem("Crew")).isEmpty());
      a.waitUntil("the key was rotated", () -> {
        JsonObject room = api.get("/api/v1/rooms/" + rid, aliceToken).json();
        return !kid1.equals(room.getString("e2eKeyId")) && !room.getBoolean("rotationDue");
      });
      assertNotEquals(kid1, api.get("/api/v1/rooms/" + rid, aliceToken).json().getString("e2eKeyId"));
    }
  }

  @Test
  void leavingAsksFirstAndCancelKeepsYouIn() throws Exception {
    Api.User owner = api.newUser("owner");
    String carol = Flows.name("carol");
    api.register(carol, "password-" + carol);
    String carolToken = api.login(carol, "password-" + carol).json().getString("token");
    String rid = api.createRoom(owner, "p", "Lobby", List.of(carol));
    try (Browser c = Browser.open("carol", node.baseUrl())) {
      c.login(carol, "password-" + carol);
      c.openRoom("Lobby");
      c.click(By.id("room-info-btn"));
      c.click(By.id("leave-room"));
      c.waitFor(By.id("confirm-dialog"));
      assertEquals("Leave Lobby?", c.driver.findElement(By.id("confirm-dialog-title")).getText());
      assertFalse(c.driver.findElement(By.id("confirm-dialog-text")).getText().contains("rotated"), "a plain room has no key");
      c.screenshot(T, "leave-confirm");
      c.click(By.id("confirm-cancel"));
      c.waitGone(By.id("confirm-dialog"));
      assertEquals("leave-room", c.js("return document.activeElement.id;"), "focus returns to Leave room");
      assertEquals(200, api.get("/api/v1/rooms/" + rid, carolToken).status(), "Cancel leaves nobody");

      c.click(By.id("leave-room"));
      c.click(By.id("confirm-ok"));
      c.waitGone(By.id("room-info-dialog"));
      c.waitUntil("Lobby is gone", () -> c.all(c.roomItem("Lobby")).isEmpty());
      assertEquals("not_member", api.get("/api/v1/rooms/" + rid, carolToken).errorCode());
      c.screenshot(T, "left");
    }
  }
}
