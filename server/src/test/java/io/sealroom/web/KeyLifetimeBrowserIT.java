package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * E2E over a longer life, as people saw it in the browser (issue 14): a key reset leaves no
 * false signature warnings but one "keys changed" line; a room whose key nobody holds any more
 * recovers; history under a lost key says so instead of waiting; a removed user is told why;
 * an ended session says why.
 */
class KeyLifetimeBrowserIT {
  static final String T = "key-lifetime";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  /** Account -> Reset encryption key -> login password; then sets up new keys. */
  static void resetAndSetUpAgain(Browser b, String login) throws Exception {
    b.click(By.id("account-btn"));
    b.click(By.id("reset-e2e-key"));
    String explained = b.waitFor(By.id("reset-explained")).getText();
    assertTrue(explained.contains("still holds the current room key"), explained);
    assertTrue(explained.contains("stay unreadable"), explained);
    assertFalse(explained.contains("on every device"), "the old, untrue promise is gone: " + explained);
    b.screenshot(T, "reset-dialog-says-what-happens");
    b.type(By.id("reset-login-password"), login);
    b.click(By.id("reset-submit"));
    b.waitGone(By.id("reset-dialog"));
    Flows.setUp(b);
  }

  static By keysChangedLine() {
    return By.cssSelector("li.event-user-keys-changed");
  }

  @Test
  void aResetLeavesNoFalseWarningAndOneKeyChangeLine() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Lifetime", bob, true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "signed before the reset");
      b.waitFor(b.roomItem("Lifetime"));
      b.openRoom("Lifetime");
      b.waitFor(Flows.verifiedOnMessage("signed before the reset"));

      resetAndSetUpAgain(a, "password-" + alice);
      a.openRoom("Lifetime");
      // bob still holds the room key and hands it to alice's new keys: her history comes back
      a.waitFor(Flows.verifiedOnMessage("signed before the reset"));
      Flows.send(a, "signed after the reset");
      b.waitFor(Flows.verifiedOnMessage("signed after the reset"));

      b.driver.navigate().refresh();
      b.waitFor(By.id("shell"));
      b.openRoom("Lifetime");
      b.waitFor(Flows.verifiedOnMessage("signed after the reset"));
      b.waitFor(Flows.verifiedOnMessage("signed before the reset"));
      assertEquals(List.of(), b.all(By.cssSelector(".msg-unverified")), "no false signature warning after a reload");
      assertEquals(1, b.all(keysChangedLine()).size(), "one line says the keys changed");
      String line = b.waitFor(keysChangedLine()).getText();
      assertTrue(line.startsWith(alice + "'s encryption keys changed"), line);
      b.screenshot(T, "keys-changed-line");
      assertEquals(List.of(), a.all(By.cssSelector(".msg-unverified")));
      Axe axe = new Axe(T);
      axe.check(b, "keys-changed-line");
      axe.assertClean();
    }
  }

  @Test
  void aSoleMembersRoomRecoversAfterAReset() throws Exception {
    String alice = Flows.name("solo");
    api.register(alice, "password-" + alice);
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      Flows.setUp(a);
      Flows.createRoom(a, "p", "Solo", "", true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "written before the reset");
      a.waitFor(Flows.verifiedOnMessage("written before the reset"));

      resetAndSetUpAgain(a, "password-" + alice);
      a.openRoom("Solo");
      // nobody holds the old key: the room gets a new one without being asked
      a.waitFor(By.cssSelector("li.event-key-rotated"));
      By lost = By.cssSelector("li[data-state='lost'] .msg-lost");
      assertTrue(a.waitFor(lost).getText().contains("cannot be read"), "history under the lost key says so");
      assertEquals(List.of(), a.all(By.cssSelector("li[data-state='waiting']")), "nothing waits for a key that never comes");
      Flows.send(a, "written after the recovery");
      a.waitFor(Flows.verifiedOnMessage("written after the recovery"));
      a.waitUntil("the message is stored, not waiting", () -> a.all(By.cssSelector("li.msg.pending")).isEmpty());
      a.screenshot(T, "recovered-room");
      Axe axe = new Axe(T);
      axe.check(a, "recovered-room-with-lost-history");
      axe.assertClean();

      String token = api.login(alice, "password-" + alice).json().getString("token");
      String rid = Flows.roomId(api, token, "Solo");
      JsonObject rotated = api.get("/api/v1/rooms/" + rid + "/messages", token).json().getJsonArray("messages").stream()
          .map(o -> (JsonObject) o).filter(m -> m.getJsonObject("event") != null
              && "key.rotated".equals(m.getJsonObject("event").getString("type"))).findFirst().orElseThrow();
      assertEquals("recovered", rotated.getJsonObject("event").getString("reason"));

      a.driver.navigate().refresh();
      a.waitFor(By.id("shell"));
      a.openRoom("Solo");
      a.waitFor(Flows.verifiedOnMessage("written after the recovery"));
      a.waitFor(lost);
    }
  }

  @Test
  void aRemovedMemberIsToldWhyAndAnEndedSessionSaysWhy() throws Exception {
    String alice = Flows.name("owner");
    String bob = Flows.name("removed");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    try (Browser b = Browser.open("bob", node.baseUrl()); Browser b2 = Browser.open("bob-laptop", node.baseUrl())) {
      b.login(bob, "password-" + bob);
      String rid = api.createRoom(new Api.User(null, alice, aliceToken), "p", "Departures", List.of(bob));
      b.waitFor(b.roomItem("Departures"));
      b.openRoom("Departures");
      String bobId = api.get("/api/v1/users?username=" + bob, aliceToken).json().getJsonArray("users")
          .getJsonObject(0).getString("id");
      assertEquals(200, api.delete("/api/v1/rooms/" + rid + "/members/" + bobId, aliceToken).status());
      b.waitUntil("bob is told who removed him", () -> b.driver.findElement(By.tagName("body")).getText()
          .contains(alice + " removed you from Departures"));
      b.waitGone(b.roomItem("Departures"));
      b.screenshot(T, "removed-notice");

      // a reset on one device signs the other out, and the other says why
      b2.login(bob, "password-" + bob);
      Flows.setUp(b2);
      b2.click(By.id("account-btn"));
      b2.click(By.id("reset-e2e-key"));
      b2.type(By.id("reset-login-password"), "password-" + bob);
      b2.click(By.id("reset-submit"));
      b2.waitGone(By.id("reset-dialog"));
      b.waitUntil("the other device says why it was signed out", () -> b.present(By.id("auth-username"))
          && b.driver.findElement(By.tagName("body")).getText().contains("encryption keys were reset on another device"));
      b.screenshot(T, "session-ended-reason");
      Axe axe = new Axe(T);
      axe.check(b, "session-ended-reason");
      axe.assertClean();
    }
  }
}
