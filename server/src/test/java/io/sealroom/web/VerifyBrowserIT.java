package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Verifying contacts in the browser, against a real node and its key-transparency log: both
 * people see the same safety number (digits and QR), "Mark as verified" shows a mark by the
 * contact's name that follows the user to another browser, and when the contact resets their
 * keys every room with them is blocked (no message encrypted, no room key handed over) until
 * the user looks at the new number and marks it verified.
 */
class VerifyBrowserIT {
  static final String T = "verify";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void aVerifiedContactsKeyChangeBlocksEveryRoomUntilTheNewNumberIsVerified() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Axe axe = new Axe(T);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice.username(), "password-" + alice.username());
      b.login(bob.username(), "password-" + bob.username());
      String alicePassword = Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Verify crew", bob.username(), true);
      Flows.createRoom(a, "d", null, bob.username(), true);
      a.waitUntil("DM open", () -> bob.username().equals(a.driver.findElement(By.id("room-title")).getText()));
      Flows.send(a, "hello bob");
      b.openRoom(alice.username());
      b.waitFor(Flows.verifiedOnMessage("hello bob"));
      Flows.send(b, "hello alice");
      a.waitFor(Flows.verifiedOnMessage("hello alice"));

      // both see the same 60 digits (alice from the DM, bob from the group's member list) and a QR code
      String seenByAlice = VerifyFlows.openVerify(a, bob.id());
      b.openRoom("Verify crew");
      String seenByBob = VerifyFlows.openVerify(b, alice.id());
      assertEquals(seenByAlice, seenByBob, "one safety number for the two of them");
      assertTrue(a.present(By.cssSelector("#safety-qr svg[role='img']")), "a QR code");
      String label = a.driver.findElement(By.id("safety-number")).getAttribute("aria-label");
      assertTrue(label.contains(seenByAlice.substring(0, 5) + ", " + seenByAlice.substring(5, 10)), label);
      a.type(By.id("safety-compare"), seenByBob.substring(0, 59) + (seenByBob.charAt(59) == '0' ? "1" : "0"));
      a.waitUntil("a wrong number says no match", () -> a.driver.findElement(By.id("safety-compare-result")).getText()
          .startsWith("No match"));
      a.type(By.id("safety-compare"), "sealroom-sn:1:" + seenByBob);
      a.waitUntil("bob's QR text matches", () -> a.driver.findElement(By.id("safety-compare-result")).getText()
          .startsWith("Match"));
      a.screenshot(T, "number");
      axe.check(a, "verify-dialog");
      VerifyFlows.markVerified(a);
      b.driver.findElement(By.id("verify-close")).click();

      // the mark: by the DM's title, by bob's messages, in bob's entry of the group's members
      a.waitFor(By.cssSelector("#room-head-verified .verified-mark"));
      a.waitFor(By.xpath("//li[contains(@class,'msg')][.//p[normalize-space()='hello alice']]//*[contains(@class,'verified-mark')]"));
      assertFalse(a.present(By.xpath("//li[contains(@class,'msg')][.//p[normalize-space()='hello bob']]"
          + "//*[contains(@class,'msg-verified-user')]")), "no mark by one's own name");
      a.screenshot(T, "verified");
      axe.check(a, "verified-mark");

      // alice's other browser reads the mark from the server's (encrypted) verified list
      try (Browser a2 = Browser.open("alice-laptop", node.baseUrl())) {
        a2.login(alice.username(), "password-" + alice.username());
        a2.click(By.id("e2e-banner"));
        Flows.unlock(a2, alicePassword);
        a2.openRoom(bob.username());
        a2.waitFor(By.cssSelector("#room-head-verified .verified-mark"));

        // bob resets his keys: every room with him is blocked, on both of alice's browsers
        VerifyFlows.resetAndSetUpAgain(b, "password-" + bob.username());
        a.waitFor(VerifyFlows.bar(bob.id(), "changed"));
        a.waitUntil("alice's composer is blocked in the DM", () -> VerifyFlows.composerBlocked(a));
        assertTrue(a.driver.findElement(By.id("composer-note")).getText().contains("safety number changed"));
        assertFalse(a.present(By.cssSelector("#room-head-verified .verified-mark")), "no longer verified");
        a.openRoom("Verify crew");
        a.waitFor(VerifyFlows.bar(bob.id(), "changed"));
        a.waitUntil("alice's composer is blocked in the group", () -> VerifyFlows.composerBlocked(a));
        a.screenshot(T, "changed");
        axe.check(a, "blocked-room");
        a2.waitFor(VerifyFlows.bar(bob.id(), "changed"));
        a2.waitUntil("blocked on the other browser too", () -> VerifyFlows.composerBlocked(a2));

        // nothing was handed to bob's new keys meanwhile
        String bobToken = api.login(bob.username(), "password-" + bob.username()).json().getString("token");
        String group = Flows.roomId(api, bobToken, "Verify crew");
        String direct = VerifyFlows.directId(api, bobToken);
        Thread.sleep(2000);
        assertFalse(VerifyFlows.hasKey(api, bobToken, group), "no room key sealed to the changed key");
        assertFalse(VerifyFlows.hasKey(api, bobToken, direct), "no room key sealed to the changed key");

        // alice looks at the new number and verifies it: the rooms open again and bob gets the keys
        a.click(By.cssSelector("#trust-bar .trust-view[data-uid='" + bob.id() + "']"));
        String renewed = VerifyFlows.digits(a);
        assertNotEquals(seenByAlice, renewed, "bob's new keys make a new number");
        assertTrue(a.present(By.id("verify-accept")), "a changed number may be accepted without verifying");
        assertEquals("changed", a.driver.findElement(By.id("verify-status")).getAttribute("data-status"));
        VerifyFlows.markVerified(a);
        a.waitGone(VerifyFlows.bar(bob.id(), "changed"));
        a.waitUntil("the composer is open again", () -> a.driver.findElement(By.id("composer-input")).isEnabled());
        a.waitUntil("bob gets the group's key", () -> VerifyFlows.hasKey(api, bobToken, group));
        Flows.send(a, "after verifying again");
        b.openRoom("Verify crew");
        b.waitFor(Flows.verifiedOnMessage("after verifying again"));
        a2.driver.navigate().refresh();
        a2.waitFor(By.id("shell"));
        a2.openRoom(bob.username());
        a2.waitFor(By.cssSelector("#room-head-verified .verified-mark"));
        assertFalse(a2.present(VerifyFlows.bar(bob.id(), "changed")), "resolved on every device");
      }
    }
    axe.assertClean();
  }

  @Test
  void anUnverifiedContactsChangeIsAQuietNoticeAndAcceptingUnblocksAVerifiedOne() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    Axe axe = new Axe(T);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl());
        Browser c = Browser.open("carol", node.baseUrl())) {
      for (Browser x : new Browser[] {a, b, c}) {
        Api.User u = x == a ? alice : x == b ? bob : carol;
        x.login(u.username(), "password-" + u.username());
        Flows.setUp(x);
      }
      Flows.createRoom(a, "d", null, carol.username(), true);
      a.waitUntil("DM open", () -> carol.username().equals(a.driver.findElement(By.id("room-title")).getText()));
      Flows.send(a, "hi carol");
      Flows.createRoom(a, "p", "Three", bob.username() + ", " + carol.username(), true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "first");
      b.openRoom("Three");
      b.waitFor(Flows.verifiedOnMessage("first"));
      c.openRoom(alice.username());
      c.waitFor(Flows.verifiedOnMessage("hi carol"));
      VerifyFlows.openVerify(a, bob.id());
      VerifyFlows.markVerified(a);

      // carol, whom alice never verified: a quiet notice, and alice (the DM's only key holder) hands
      // her new keys the key at once
      VerifyFlows.resetAndSetUpAgain(c, "password-" + carol.username());
      a.openRoom(carol.username());
      a.waitFor(VerifyFlows.bar(carol.id(), "notice"));
      assertTrue(a.driver.findElement(VerifyFlows.bar(carol.id(), "notice")).getText()
          .startsWith(carol.username() + "'s safety number changed."));
      assertTrue(a.driver.findElement(By.id("composer-input")).isEnabled(), "a notice does not block");
      String carolToken = api.login(carol.username(), "password-" + carol.username()).json().getString("token");
      String direct = VerifyFlows.directId(api, carolToken);
      a.waitUntil("carol gets the DM's key from alice", () -> VerifyFlows.hasKey(api, carolToken, direct));
      Flows.send(a, "still talking");
      c.openRoom(alice.username());
      c.waitFor(Flows.verifiedOnMessage("still talking"));
      a.screenshot(T, "notice");
      axe.check(a, "quiet-notice");
      a.click(By.cssSelector(".trust-dismiss[data-uid='" + carol.id() + "']"));
      a.waitGone(VerifyFlows.bar(carol.id(), "notice"));

      // bob, whom alice verified: the group is blocked until she accepts his new keys
      VerifyFlows.resetAndSetUpAgain(b, "password-" + bob.username());
      a.openRoom("Three");
      a.waitFor(VerifyFlows.bar(bob.id(), "changed"));
      a.waitUntil("bob's change blocks the room", () -> VerifyFlows.composerBlocked(a));
      a.click(By.cssSelector("#trust-bar .trust-view[data-uid='" + bob.id() + "']"));
      VerifyFlows.digits(a);
      a.click(By.id("verify-accept"));
      a.waitGone(By.id("verify-dialog"));
      a.waitGone(VerifyFlows.bar(bob.id(), "changed"));
      a.waitUntil("accepting opens the composer", () -> a.driver.findElement(By.id("composer-input")).isEnabled());
      Flows.send(a, "after accepting");
      b.openRoom("Three");
      b.waitFor(Flows.verifiedOnMessage("after accepting"));

      a.click(By.id("room-info-btn"));
      a.waitFor(By.id("room-info-dialog"));
      assertFalse(a.present(By.cssSelector("li[data-user-id='" + bob.id() + "'] .verified-mark")),
          "accepted is not verified");
    }
    axe.assertClean();
  }
}
