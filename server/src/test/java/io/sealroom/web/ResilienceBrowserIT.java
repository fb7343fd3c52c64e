package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * The client outside the happy path: the network drops (the node stops and comes back on the
 * same port and store) and the page reconnects by itself, showing an offline indicator
 * meanwhile and resuming every room from its last seq, without duplicates; unread counts; and
 * the layout at phone width.
 */
class ResilienceBrowserIT {
  static final String T = "resilience";

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void reconnectsAndResumesShowsUnreadCountsAndFitsAPhone() throws Exception {
    Browser.assumeInstalled();
    Path data = Files.createTempDirectory("sealroom-web-store-");
    int port = freePort();
    Map<String, Object> config = Map.of("http.port", port, "store.dataDir", data.toString(), "e2e.minKdfIterations", 1000);
    TestNode node = TestNode.start(config);
    Api api = node.api();
    Api.User alice = api.newUser("alice");
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 6);
    api.register(bob, "password-" + bob);
    String news = api.createRoom(alice, "p", "News", List.of(bob));
    String chat = api.createRoom(alice, "p", "Chat", List.of(bob));
    post(api, alice, news, "n-1", "first news");
    try (Browser b = Browser.open("bob", node.baseUrl())) {
      b.login(bob, "password-" + bob);
      b.openRoom("Chat");
      b.waitFor(b.roomItem("News"));
      post(api, alice, news, "n-2", "second news");
      b.waitUntil("two unread in News", () -> b.driver.findElement(b.roomItem("News")).getText().contains("2"));
      assertTrue(b.driver.findElement(b.roomItem("News")).getAttribute("aria-label").contains("2 unread"));
      b.screenshot(T, "unread-counts");
      post(api, alice, chat, "c-1", "before the outage");
      b.waitFor(Flows.message("before the outage"));

      node.close();
      b.waitUntil("offline indicator", () -> b.driver.findElement(By.id("conn-status")).isDisplayed()
          && b.driver.findElement(By.id("conn-status")).getText().contains("Offline"));
      b.screenshot(T, "offline");
      node = TestNode.start(config);
      post(api, alice, chat, "c-2", "sent while bob was away");
      b.waitFor(Flows.message("sent while bob was away"));
      b.waitUntil("online again", () -> !b.driver.findElement(By.id("conn-status")).isDisplayed());
      post(api, alice, chat, "c-3", "live again");
      b.waitFor(Flows.message("live again"));
      assertEquals(1, b.all(Flows.message("before the outage")).size(), "resumed after the last seq: no duplicate");
      assertEquals(1, b.all(Flows.message("sent while bob was away")).size());
      b.screenshot(T, "resumed");

      b.driver.manage().window().setSize(new Dimension(390, 844));
      b.click(By.id("back-btn"));
      b.waitFor(By.id("room-list"));
      assertFalse(b.driver.findElement(By.id("main")).isDisplayed(), "one pane at a time on a phone");
      b.screenshot(T, "phone-room-list");
      b.openRoom("News");
      b.waitFor(Flows.message("second news"));
      assertFalse(b.driver.findElement(By.id("sidebar")).isDisplayed());
      b.screenshot(T, "phone-room");
    } finally {
      node.close();
    }
  }

  static void post(Api api, Api.User u, String rid, String cid, String text) {
    Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", text));
    assertEquals(201, r.status(), r.raw());
  }
}
