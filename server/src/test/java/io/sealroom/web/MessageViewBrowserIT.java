package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What a room shows around the messages: links in plain and decrypted text (http and https
 * only, opened in a new tab without opener or referrer), the typing indicator (gone when the
 * typist's message arrives), and search results grouped by the room's current encryption.
 */
class MessageViewBrowserIT {
  static final String T = "message-view";
  /** Every scheme but http and https stays text; markup stays text. */
  static final String LINKS = "Docs at https://example.com/a?b=1&c=(2). Also http://example.org/x, not javascript:alert(1) "
      + "or data:text/html,<b>x</b> or ftp://example.net/f or vbscript:msgbox or <a href=\"https://evil.test\">click</a>";
  static final List<String> HREFS = List.of("https://example.com/a?b=1&c=(2)", "http://example.org/x", "https://evil.test/");
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void httpAndHttpsUrlsBecomeSafeLinksInPlainAndDecryptedText() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    Api.User bob = api.newUser("bob");
    String plain = api.createRoom(bob, "p", "Links", List.of(alice));
    post(bob, plain, "l-1", LINKS);
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      a.openRoom("Links");
      a.waitFor(Flows.message(LINKS));
      assertLinks(a, LINKS);
      a.screenshot(T, "links-plain");

      Flows.setUp(a);
      Flows.createRoom(a, "p", "Sealed links", bob.username(), true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, LINKS);
      a.waitFor(Flows.verifiedOnMessage(LINKS)); // the last re-render of our message: stored and verified
      assertLinks(a, LINKS);
      // after a reload the text comes from decrypting what the server stored
      a.driver.navigate().refresh();
      a.waitUntil("the room again", () -> a.present(By.id("room-title"))
          && "Sealed links".equals(a.driver.findElement(By.id("room-title")).getText()));
      a.waitFor(Flows.verifiedOnMessage(LINKS));
      assertLinks(a, LINKS);
      a.screenshot(T, "links-decrypted");
    }
  }

  static void assertLinks(Browser a, String text) {
    WebElement p = a.driver.findElement(Flows.message(text)).findElement(By.cssSelector("p.msg-text"));
    List<WebElement> links = p.findElements(By.tagName("a"));
    assertEquals(HREFS, links.stream().map(l -> l.getAttribute("href")).collect(Collectors.toList()));
    for (WebElement l : links) {
      assertEquals("_blank", l.getAttribute("target"));
      assertEquals("noopener noreferrer", l.getAttribute("rel"));
    }
    assertEquals(0, p.findElements(By.cssSelector("b")).size(), "markup in a message stays text");
    assertEquals(text, p.getText(), "the text reads as it was written");
  }

  @Test
  void aTypistsIndicatorGoesWhenTheirMessageArrives() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    api.post("/api/v1/rooms", aliceToken, new JsonObject().put("type", "p").put("name", "Chatter")
        .put("members", new io.vertx.core.json.JsonArray().add(bob)));
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      a.openRoom("Chatter");
      b.openRoom("Chatter");
      b.type(By.id("composer-input"), "on my way");
      a.waitUntil("bob is typing", () -> a.driver.findElement(By.id("typing")).getText().contains(bob + " is typing"));
      a.screenshot(T, "typing");
      b.click(By.id("send-btn"));
      a.waitFor(Flows.message("on my way"));
      assertEquals("", a.driver.findElement(By.id("typing")).getText(), "bob's message arrived: he is not typing now");
      a.screenshot(T, "typing-cleared-by-the-message");
    }
  }

  @Test
  void searchGroupsResultsByTheRoomsEncryptionNow() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    Api.User bob = api.newUser("bob");
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    String diary = api.createRoom(new Api.User(null, alice, aliceToken), "p", "Diary", List.of(bob.username()));
    String lobby = api.createRoom(new Api.User(null, alice, aliceToken), "p", "Lobby", List.of(bob.username()));
    post(bob, diary, "d-1", "quokka seen before encryption");
    post(bob, lobby, "o-1", "quokka in the lobby");
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      Flows.setUp(a);
      a.openRoom("Diary");
      a.waitFor(Flows.message("quokka seen before encryption"));
      EncryptedRoomsBrowserIT.convert(a, T, "convert-diary");
      Flows.send(a, "quokka seen after encryption");
      a.waitFor(Flows.keyOnMessage("quokka seen after encryption"));

      a.type(By.id("search-input"), "quokka");
      a.click(By.cssSelector("#search-form button[type='submit']"));
      a.waitFor(By.id("search-pane"));
      By plainRooms = By.xpath("//section[h2='Plain rooms']");
      By encryptedRooms = By.xpath("//section[h2='Encrypted rooms']");
      a.waitUntil("the server's results", () -> a.driver.findElement(By.id("search-pane")).getText().contains("quokka in the lobby"));
      a.screenshot(T, "search-after-conversion");
      String plainText = a.driver.findElement(plainRooms).getText();
      String encryptedText = a.driver.findElement(encryptedRooms).getText();
      assertTrue(plainText.contains("quokka in the lobby"), plainText);
      assertFalse(plainText.contains("Diary"), "Diary is encrypted now: " + plainText);
      assertTrue(encryptedText.contains("quokka seen after encryption"), encryptedText);
      assertTrue(encryptedText.contains("quokka seen before encryption"), "the server's match in Diary: " + encryptedText);
      WebElement before = a.driver.findElement(By.xpath("//section[h2='Encrypted rooms']//button[contains(@class,'result')]"
          + "[.//*[contains(@class,'result-text') and normalize-space()='quokka seen before encryption']]"));
      assertTrue(before.getText().contains("Sent before the room was encrypted"), before.getText());
      assertFalse(before.findElements(By.cssSelector(".key-icon")).size() > 0, "that message itself is not encrypted");
    }
  }

  static void post(Api.User u, String rid, String cid, String text) {
    Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", text));
    assertEquals(201, r.status(), r.raw());
  }
}
