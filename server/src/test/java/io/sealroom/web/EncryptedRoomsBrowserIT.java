package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Two browser profiles talk to each other: an encrypted group created with the toggle (whose
 * default follows the server config), a member who sets up keys later and sees "waiting for the
 * room key" turn into the message without a reload, an owner converting a group and a DM, key
 * icons exactly where they belong, and search that finds plain messages on the server and
 * encrypted ones only locally.
 */
class EncryptedRoomsBrowserIT {
  static final String T = "encrypted-rooms";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).config("e2e.defaultEncrypted.private", true).build();
  static final Api api = node.api();

  @Test
  void twoProfilesTalkInEncryptedAndPlainRooms() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);

      // an encrypted group with the toggle, which starts at the server's default (on here)
      a.click(By.id("new-room"));
      a.waitFor(By.id("create-room-dialog"));
      assertTrue(a.driver.findElement(By.id("room-encrypted")).isSelected(), "default from e2e.defaultEncrypted.private");
      a.type(By.id("room-name"), "Vault");
      a.type(By.id("room-members"), bob);
      a.screenshot(T, "encrypted-toggle");
      a.click(By.id("create-room-submit"));
      a.waitGone(By.id("create-room-dialog"));
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      assertTrue(a.present(keyOnRoom(a, "Vault")), "key icon by the room's name");
      Flows.send(a, "meet at the old mill");
      a.waitFor(Flows.keyOnMessage("meet at the old mill"));
      a.screenshot(T, "encrypted-room");

      // bob has no keys yet: the message waits for the room key ...
      b.waitFor(keyOnRoom(b, "Vault"));
      b.openRoom("Vault");
      b.waitFor(By.cssSelector("#messages .msg-waiting"));
      assertTrue(b.waitFor(By.id("composer-note")).getText().contains("Set up encryption"));
      b.screenshot(T, "waiting-for-the-room-key");
      // ... and is decrypted as soon as bob sets up and alice's browser hands the key over
      Flows.setUp(b);
      b.waitFor(Flows.verifiedOnMessage("meet at the old mill"));
      assertTrue(b.present(Flows.keyOnMessage("meet at the old mill")));
      Flows.send(b, "bring the map");
      a.waitFor(Flows.verifiedOnMessage("bring the map"));
      b.screenshot(T, "message-key-icons");

      String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
      String vault = Flows.roomId(api, aliceToken, "Vault");
      JsonArray stored = new JsonArray(api.get("/api/v1/rooms/" + vault + "/messages", aliceToken).json()
          .getJsonArray("messages").stream().filter(o -> !((JsonObject) o).containsKey("event")).toList()); // messages only
      assertEquals(2, stored.size());
      for (Object o : stored) {
        JsonObject m = (JsonObject) o;
        assertNull(m.getValue("text"), "no plaintext on the server: " + m.encode());
        assertTrue(m.getJsonObject("e2e").containsKey("sig"), "signed");
        assertFalse(m.encode().contains("mill") || m.encode().contains("map"), m.encode());
      }

      // a plain group: no key icon anywhere
      Flows.createRoom(a, "p", "Lobby", bob, false);
      a.waitUntil("Lobby open", () -> "Lobby".equals(a.driver.findElement(By.id("room-title")).getText()));
      assertFalse(a.present(By.cssSelector("#room-head-key .key-icon")), "no key icon on a plain room");
      Flows.send(a, "lobby zebra in plain text");
      b.waitFor(b.roomItem("Lobby"));
      b.openRoom("Lobby");
      b.waitFor(Flows.message("lobby zebra in plain text"));
      assertFalse(b.present(Flows.keyOnMessage("lobby zebra in plain text")), "no key icon on a plain message");
      assertFalse(b.present(keyOnRoom(b, "Lobby")));

      // the owner converts a plain group: Room info -> Edit -> Encrypted
      Flows.createRoom(a, "p", "Ops", bob, false);
      a.waitUntil("Ops open", () -> "Ops".equals(a.driver.findElement(By.id("room-title")).getText()));
      convert(a, "convert-group");
      b.waitFor(keyOnRoom(b, "Ops"));
      Flows.send(a, "ops zebra stays secret");
      b.openRoom("Ops");
      b.waitFor(Flows.verifiedOnMessage("ops zebra stays secret"));

      // and a direct message (direct rooms default to plain here)
      Flows.createRoom(a, "d", null, bob, null);
      a.waitUntil("DM open", () -> bob.equals(a.driver.findElement(By.id("room-title")).getText()));
      assertFalse(a.present(By.cssSelector("#room-head-key .key-icon")), "the DM starts plain");
      convert(a, "convert-dm");
      Flows.send(a, "just between us");
      b.waitFor(keyOnRoom(b, alice));
      b.openRoom(alice);
      b.waitFor(Flows.verifiedOnMessage("just between us"));
      b.screenshot(T, "dm-converted");

      // search: the server finds the plain message only; this browser finds the decrypted one
      a.type(By.id("search-input"), "zebra");
      a.click(By.cssSelector("#search-form button[type='submit']"));
      a.waitFor(By.id("search-pane"));
      a.waitUntil("server results", () -> a.driver.findElement(By.id("plain-results")).getText()
          .contains("lobby zebra in plain text"));
      assertFalse(a.driver.findElement(By.id("plain-results")).getText().contains("ops zebra"));
      assertTrue(a.driver.findElement(By.id("encrypted-results")).getText().contains("ops zebra stays secret"));
      a.screenshot(T, "search");
      JsonArray found = api.get("/api/v1/search?q=zebra", aliceToken).json().getJsonArray("messages");
      assertEquals(1, found.size(), found.encode());
      assertEquals("lobby zebra in plain text", found.getJsonObject(0).getString("text"));
      assertEquals(0, api.get("/api/v1/search?q=secret", aliceToken).json().getJsonArray("messages").size());
    }
  }

  /** Room info -> Edit -> Encrypted on -> Save; the header shows the key icon at once. */
  static void convert(Browser a, String shot) throws Exception {
    convert(a, T, shot);
  }

  static void convert(Browser a, String test, String shot) throws Exception {
    a.click(By.id("room-info-btn"));
    a.click(By.id("edit-room"));
    a.waitFor(By.id("edit-room-form"));
    a.driver.findElement(By.cssSelector("label[for='edit-room-encrypted']")).click();
    assertTrue(a.driver.findElement(By.id("edit-room-encrypted")).isSelected());
    a.screenshot(test, shot);
    a.click(By.id("save-room"));
    a.waitGone(By.id("room-info-dialog"));
    a.waitFor(By.cssSelector("#room-head-key .key-icon"));
  }

  static By keyOnRoom(Browser b, String title) {
    return By.xpath("//button[contains(@class,'room-item')][.//span[@class='room-name' and normalize-space()='" + title
        + "']]//*[contains(@class,'key-icon')]");
  }

}
