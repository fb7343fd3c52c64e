package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * axe-core on every screen of the client: sign-in and sign-up (with an error), the room list,
 * a plain and an encrypted room (with unread counts, links, a message of ours waiting for a
 * key, then failed), room info and its forms and confirmations (remove a member, leave), the encryption dialogs (setup, dismiss, unlock, change,
 * reset), My Account, search, and the phone layout. No screen may have a violation of impact
 * serious or critical (see {@link Axe}); the test reports every one it finds at the end.
 */
class AccessibilityBrowserIT {
  static final String T = "accessibility";
  // one screen is a message that failed because its room turned plain: that needs e2e.allowDisable
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).config("e2e.allowDisable", true).build();
  static final Api api = node.api();

  @Test
  void everyScreenIsFreeOfSeriousViolations() throws Exception {
    Axe axe = new Axe(T);
    String alice = Flows.name("alice");
    String password = "password-" + alice;
    Api.User bob = api.newUser("bob");
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", bob.token(), E2eShapes.keysBody(1000).encode()).status());
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      signIn(a, axe, alice, password);
      String e2ePassword = encryptionSetup(a, axe);
      rooms(a, axe, alice, bob);
      roomInfo(a, axe);
      account(a, axe);
      search(a, axe);
      unlockAfterLogout(a, axe, alice, password, e2ePassword);
      phone(a, axe);
    }
    axe.assertClean();
  }

  static void signIn(Browser a, Axe axe, String alice, String password) throws Exception {
    a.waitFor(By.id("auth-form"));
    axe.check(a, "login");
    a.click(By.id("tab-register"));
    axe.check(a, "register");
    a.type(By.id("auth-username"), alice);
    a.type(By.id("auth-password"), "short");
    a.click(By.id("auth-submit"));
    a.waitFor(By.id("auth-error"));
    axe.check(a, "register-error");
    a.type(By.id("auth-password"), password);
    a.click(By.id("auth-submit"));
    a.waitFor(By.id("e2e-banner"));
    axe.check(a, "room-list-empty-with-banner");
  }

  static String encryptionSetup(Browser a, Axe axe) throws Exception {
    String e2ePassword = Flows.openSetupDialog(a);
    axe.check(a, "e2e-setup-dialog");
    a.click(By.id("password-later"));
    a.waitFor(By.id("dismiss-question"));
    axe.check(a, "e2e-setup-dismiss-question");
    a.click(By.id("dismiss-back"));
    Flows.confirmPasswordSaved(a);
    a.waitGone(By.id("e2e-banner"));
    return e2ePassword;
  }

  static void rooms(Browser a, Axe axe, String alice, Api.User bob) throws Exception {
    String plain = api.createRoom(bob, "p", "Plain", List.of(alice));
    String news = api.createRoom(bob, "p", "News", List.of(alice));
    post(bob, plain, "p-1", "Hello there, the notes are at https://example.com/notes?x=1.");
    post(bob, plain, "p-2", "A second message in the plain room");
    post(bob, news, "n-1", "unread news");
    String sealed = Flows.sealedRoom(api, bob, alice, "Sealed");
    a.openRoom("Plain");
    a.waitFor(Flows.message("A second message in the plain room"));
    post(bob, news, "n-2", "more unread news");
    a.waitUntil("an unread badge", () -> a.driver.findElement(a.roomItem("News")).getText().contains("2"));
    axe.check(a, "plain-room-with-unread-badge");

    a.click(By.id("new-room"));
    a.waitFor(By.id("create-room-dialog"));
    axe.check(a, "create-room-dialog");
    a.type(By.id("room-name"), "Vault");
    a.type(By.id("room-members"), bob.username());
    if (!a.driver.findElement(By.id("room-encrypted")).isSelected()) {
      a.driver.findElement(By.cssSelector("label[for='room-encrypted']")).click();
    }
    a.click(By.id("create-room-submit"));
    a.waitGone(By.id("create-room-dialog"));
    a.waitFor(By.cssSelector("#room-head-key .key-icon"));
    Flows.send(a, "an encrypted hello");
    a.waitFor(Flows.keyOnMessage("an encrypted hello"));
    axe.check(a, "encrypted-room");

    a.openRoom("Sealed");
    a.waitFor(By.cssSelector("#messages .msg-waiting"));
    Flows.send(a, "waiting to be sent");
    a.waitFor(By.cssSelector("#messages .msg.pending"));
    axe.check(a, "encrypted-room-waiting-for-the-key");
    assertEquals(200, api.patch("/api/v1/rooms/" + sealed, bob.token(), new JsonObject().put("encrypted", false)).status());
    a.waitFor(By.cssSelector("#messages .msg[data-pending='failed'] .msg-retry"));
    axe.check(a, "pending-message-failed");
  }

  static void roomInfo(Browser a, Axe axe) throws Exception {
    a.openRoom("Vault");
    a.click(By.id("room-info-btn"));
    a.waitFor(By.id("room-info-dialog"));
    axe.check(a, "room-info-owner");
    a.click(By.cssSelector("#room-info-dialog .remove-member"));
    a.waitFor(By.id("confirm-dialog"));
    axe.check(a, "remove-member-confirm");
    a.click(By.id("confirm-cancel"));
    a.waitGone(By.id("confirm-dialog"));
    a.click(By.id("edit-room"));
    a.waitFor(By.id("edit-room-form"));
    axe.check(a, "room-info-edit");
    a.driver.findElement(By.cssSelector("#room-info-dialog .dialog-footer .btn:not(.primary)")).click();
    a.click(By.id("add-member"));
    a.waitFor(By.id("add-member-form"));
    axe.check(a, "room-info-add-member");
    a.driver.findElement(By.cssSelector("#room-info-dialog .dialog-close")).click();
    a.waitGone(By.id("room-info-dialog"));

    a.openRoom("Plain");
    a.click(By.id("room-info-btn"));
    a.waitFor(By.id("room-info-dialog"));
    axe.check(a, "room-info-member");
    a.click(By.id("leave-room"));
    a.waitFor(By.id("confirm-dialog"));
    axe.check(a, "leave-room-confirm");
    a.click(By.id("confirm-cancel"));
    a.waitGone(By.id("confirm-dialog"));
    a.driver.findElement(By.cssSelector("#room-info-dialog .dialog-close")).click();
    a.waitGone(By.id("room-info-dialog"));
  }

  static void account(Browser a, Axe axe) throws Exception {
    a.click(By.id("account-btn"));
    a.waitFor(By.id("account-dialog"));
    axe.check(a, "my-account");
    a.click(By.id("change-e2e-password"));
    a.waitFor(By.id("change-dialog"));
    axe.check(a, "change-e2e-password-dialog");
    a.driver.findElement(By.cssSelector("#change-dialog .dialog-close")).click();
    a.waitGone(By.id("change-dialog"));
    a.click(By.id("account-btn"));
    a.click(By.id("reset-e2e-key"));
    a.waitFor(By.id("reset-dialog"));
    axe.check(a, "reset-e2e-key-dialog");
    a.driver.findElement(By.cssSelector("#reset-dialog .dialog-close")).click();
    a.waitGone(By.id("reset-dialog"));
  }

  static void search(Browser a, Axe axe) throws Exception {
    a.type(By.id("search-input"), "message");
    a.click(By.cssSelector("#search-form button[type='submit']"));
    a.waitFor(By.id("search-pane"));
    a.waitUntil("server results", () -> a.driver.findElement(By.id("search-pane")).getText().contains("second message"));
    axe.check(a, "search-results");
    a.click(By.id("search-close"));
  }

  static void unlockAfterLogout(Browser a, Axe axe, String alice, String password, String e2ePassword) throws Exception {
    a.click(By.id("logout"));
    a.waitFor(By.id("auth-form"));
    axe.check(a, "logged-out");
    a.login(alice, password);
    a.waitFor(By.id("e2e-banner"));
    a.click(By.id("e2e-banner"));
    a.waitFor(By.id("unlock-dialog"));
    axe.check(a, "unlock-dialog");
    Flows.unlockExpectingWrong(a, "not the right words");
    axe.check(a, "unlock-dialog-wrong-password");
    Flows.unlock(a, e2ePassword);
  }

  static void phone(Browser a, Axe axe) throws Exception {
    a.driver.manage().window().setSize(new Dimension(390, 844));
    if (a.driver.findElement(By.id("back-btn")).isDisplayed()) {
      a.click(By.id("back-btn"));
    }
    a.waitFor(By.id("room-list"));
    axe.check(a, "phone-room-list");
    a.openRoom("Vault");
    a.waitFor(Flows.message("an encrypted hello"));
    axe.check(a, "phone-room");
    a.click(By.id("room-info-btn"));
    a.waitFor(By.id("room-info-dialog"));
    axe.check(a, "phone-room-info");
    a.driver.findElement(By.cssSelector("#room-info-dialog .dialog-close")).click();
  }

  static void post(Api.User u, String rid, String cid, String text) {
    Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", text));
    assertEquals(201, r.status(), r.raw());
  }
}
