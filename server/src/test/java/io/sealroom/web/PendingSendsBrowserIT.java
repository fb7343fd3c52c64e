package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A message that is not stored yet is never lost silently: while one is pending the page asks
 * before unloading, the message says why it waits (no connection, no room key) or why it failed
 * (with Retry, and Discard where nothing was stored), and its text is never written to
 * localStorage, sessionStorage or IndexedDB.
 */
class PendingSendsBrowserIT {
  static final String T = "pending-sends";

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aMessageSentOfflineWaitsVisiblyWarnsBeforeUnloadAndGoesOutLater() throws Exception {
    Browser.assumeInstalled();
    Path data = Files.createTempDirectory("sealroom-web-store-");
    Map<String, Object> config = Map.of("http.port", freePort(), "store.dataDir", data.toString(), "e2e.minKdfIterations", 1000);
    TestNode node = TestNode.start(config);
    Api api = node.api();
    Api.User bob = api.newUser("bob");
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    String notes = api.createRoom(bob, "p", "Notes", List.of(alice));
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      a.openRoom("Notes");
      assertFalse(unloadIsHeldBack(a), "nothing pending: leave freely");

      node.close();
      a.waitUntil("offline", () -> a.driver.findElement(By.id("conn-status")).getText().contains("Offline"));
      Flows.send(a, "unsent words 4711");
      a.waitUntil("says it waits for the connection", () -> stateOf(a, "unsent words 4711").contains("no connection"));
      assertEquals("offline", pendingOf(a, "unsent words 4711"));
      assertTrue(unloadIsHeldBack(a), "a pending message holds the page back");
      assertNoPlaintextStored(a, "unsent words 4711");
      a.screenshot(T, "offline-pending");

      node = TestNode.start(config);
      a.waitUntil("stored after the reconnect", () -> a.all(pendingMessage("unsent words 4711")).isEmpty()
          && a.present(Flows.message("unsent words 4711")));
      assertFalse(unloadIsHeldBack(a), "sent: leave freely again");
      JsonArray stored = new JsonArray(node.api().get("/api/v1/rooms/" + notes + "/messages", bob.token()).json()
          .getJsonArray("messages").stream().filter(o -> !((JsonObject) o).containsKey("event")).toList()); // messages only
      assertEquals(1, stored.size(), stored.encode());
      assertEquals("unsent words 4711", stored.getJsonObject(0).getString("text"));
      a.screenshot(T, "sent-after-reconnect");
    } finally {
      node.close();
    }
  }

  @Test
  void aMessageWaitingForAKeySaysSoFailsWhenTheRoomTurnsPlainAndCanBeRetriedOrDiscarded() throws Exception {
    Browser.assumeInstalled();
    // the room turning plain under a waiting message needs a server that allows turning encryption off
    try (TestNode node = TestNode.start(Map.of("e2e.minKdfIterations", 1000, "e2e.allowDisable", true))) {
      Api api = node.api();
      Api.User bob = api.newUser("bob");
      assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", bob.token(), E2eShapes.keysBody(1000).encode()).status());
      String alice = Flows.name("alice");
      api.register(alice, "password-" + alice);
      String sealed = Flows.sealedRoom(api, bob, alice, "Sealed");
      Flows.sealedRoom(api, bob, alice, "Vault");
      try (Browser a = Browser.open("alice", node.baseUrl())) {
        a.login(alice, "password-" + alice);
        Flows.setUp(a);
        a.openRoom("Sealed");
        Flows.send(a, "plans for tuesday");
        a.waitUntil("says it waits for the key", () -> stateOf(a, "plans for tuesday").contains("waiting for the room key"));
        assertEquals("waiting", pendingOf(a, "plans for tuesday"));
        assertTrue(a.present(action("plans for tuesday", "msg-discard")), "a message never sent may be discarded");
        assertTrue(unloadIsHeldBack(a));
        assertNoPlaintextStored(a, "plans for tuesday");
        a.screenshot(T, "waiting-for-the-key");

        // the owner turns encryption off: the message must not wait for a key that no longer matters
        assertEquals(200, api.patch("/api/v1/rooms/" + sealed, bob.token(), new JsonObject().put("encrypted", false)).status());
        a.waitUntil("failed, with the reason", () -> stateOf(a, "plans for tuesday").contains("no longer encrypted"));
        assertEquals("failed", pendingOf(a, "plans for tuesday"));
        assertTrue(unloadIsHeldBack(a), "a failed message is not stored either");
        a.screenshot(T, "failed-room-no-longer-encrypted");
        a.click(action("plans for tuesday", "msg-retry"));
        a.waitFor(Flows.message("plans for tuesday"));
        a.waitUntil("stored", () -> a.all(pendingMessage("plans for tuesday")).isEmpty());
        JsonArray stored = api.get("/api/v1/rooms/" + sealed + "/messages", bob.token()).json().getJsonArray("messages");
        assertEquals("plans for tuesday", stored.getJsonObject(stored.size() - 1).getString("text"), "sent in plain, as asked");

        a.openRoom("Vault");
        Flows.send(a, "never mind this one");
        a.waitUntil("waiting", () -> stateOf(a, "never mind this one").contains("waiting for the room key"));
        a.click(action("never mind this one", "msg-discard"));
        a.waitUntil("gone", () -> a.all(pendingMessage("never mind this one")).isEmpty());
        assertFalse(unloadIsHeldBack(a), "nothing pending any more");
        a.screenshot(T, "discarded");
      }
    }
  }

  static By pendingMessage(String text) {
    return By.xpath("//li[contains(@class,'msg') and contains(@class,'pending')]"
        + "[.//p[@class='msg-text' and normalize-space()='" + text + "']]");
  }

  static By action(String text, String cls) {
    return By.xpath("//li[contains(@class,'msg')][.//p[@class='msg-text' and normalize-space()='" + text + "']]"
        + "//button[contains(@class,'" + cls + "')]");
  }

  /** The state line of our message with this text, lower-cased ('' when it has none); read in one go. */
  static String stateOf(Browser a, String text) {
    return String.valueOf(a.js("const li = arguments[0]; const s = li && li.querySelector('.msg-state');"
        + "return s ? s.textContent.toLowerCase() : '';", messageItem(a, text)));
  }

  /** The message's data-pending ('' once stored). */
  static String pendingOf(Browser a, String text) {
    return String.valueOf(a.js("return arguments[0] ? arguments[0].dataset.pending : '';", messageItem(a, text)));
  }

  static Object messageItem(Browser a, String text) {
    return a.js("return document.evaluate(arguments[0], document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null)"
        + ".singleNodeValue;", "//li[contains(@class,'msg')][.//p[@class='msg-text' and normalize-space()='" + text + "']]");
  }

  /** Whether the page cancels a beforeunload now (a browser then asks before leaving). */
  static boolean unloadIsHeldBack(Browser a) {
    return Boolean.TRUE.equals(a.js("const ev = new Event('beforeunload', {cancelable: true});"
        + "window.dispatchEvent(ev); return ev.defaultPrevented;"));
  }

  /** Nothing the page stores (localStorage, sessionStorage, every IndexedDB store) contains the text. */
  static void assertNoPlaintextStored(Browser a, String text) {
    Object dump = a.driver.executeAsyncScript(String.join("\n",
        "const done = arguments[arguments.length - 1];",
        "const out = [JSON.stringify(Object.entries(localStorage)), JSON.stringify(Object.entries(sessionStorage))];",
        "const all = async () => {",
        "  for (const info of await indexedDB.databases()) {",
        "    const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });",
        "    for (const store of db.objectStoreNames) {",
        "      const rows = await new Promise((ok, no) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });",
        "      out.push(store + ':' + JSON.stringify(rows));",
        "    }",
        "    db.close();",
        "  }",
        "  return out.join('\\n');",
        "};",
        "all().then(done, (e) => done('error: ' + e));"));
    String s = String.valueOf(dump);
    assertFalse(s.startsWith("error"), s);
    assertFalse(s.contains(text), "the message text is stored somewhere: " + s);
  }
}
