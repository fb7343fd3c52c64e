package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/** Steps the browser tests share: setting up and unlocking encryption, rooms, messages. */
final class Flows {
  private Flows() {
  }

  /** Clicks the "Save your encryption password" banner; returns the password the dialog shows. */
  /** A username no other test run uses: the prefix and six random characters. */
  static String name(String prefix) {
    return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
  }

  static String openSetupDialog(Browser b) {
    b.click(By.id("e2e-banner"));
    return b.waitFor(By.id("e2e-password")).getText();
  }

  static void confirmPasswordSaved(Browser b) {
    b.click(By.id("password-saved"));
    b.click(By.id("password-done"));
    b.waitGone(By.id("password-dialog"));
  }

  /** Banner -> dialog -> confirm: returns the E2E password. */
  static String setUp(Browser b) {
    String password = openSetupDialog(b);
    confirmPasswordSaved(b);
    b.waitGone(By.id("e2e-banner"));
    return password;
  }

  static void unlockExpectingWrong(Browser b, String password) {
    b.type(By.id("unlock-password"), password);
    b.click(By.id("unlock-submit"));
    b.waitUntil("the wrong password is refused", () -> b.driver.findElement(By.cssSelector("#unlock-dialog .form-error"))
        .getText().contains("That password is not right"));
    assertTrue(b.driver.findElement(By.id("unlock-password")).isEnabled(), "the user may retry");
  }

  static void unlock(Browser b, String password) {
    b.type(By.id("unlock-password"), password);
    b.click(By.id("unlock-submit"));
    b.waitGone(By.id("unlock-dialog"));
    b.waitGone(By.id("e2e-banner"));
  }

  /** What IndexedDB holds for the signed-in user: whether the private keys can be read out. */
  static Map<?, ?> storedIdentity(Browser b) {
    return (Map<?, ?>) b.driver.executeAsyncScript(String.join("\n",
        "const done = arguments[arguments.length - 1];",
        "const req = indexedDB.open('sealroom');",
        "req.onerror = () => done({error: String(req.error)});",
        "req.onsuccess = () => {",
        "  const all = req.result.transaction('identity').objectStore('identity').getAll();",
        "  all.onsuccess = () => {",
        "    const r = all.result[0];",
        "    done({count: all.result.length, rsaExtractable: r.rsaPrivate.extractable,",
        "          sigExtractable: r.sigPrivate.extractable, rsaType: r.rsaPrivate.type});",
        "  };",
        "};"));
  }

  @SuppressWarnings("unchecked")
  /**
   * Keys of localStorage other than read markers and the public state the key log needs (the
   * last verified head and log key, and each contact's last seen key version: all public data).
   */
  static List<String> localStorageKeysOtherThanReadMarkers(Browser b) {
    return (List<String>) b.js("return Object.keys(localStorage).filter(k => !k.startsWith('sealroom.read.')"
        + " && k !== 'sealroom.kt' && !k.startsWith('sealroom.seen.'));");
  }

  /** Creates a room through the New room dialog; encrypted null leaves the toggle at its default. */
  static void createRoom(Browser b, String type, String name, String members, Boolean encrypted) {
    b.click(By.id(type.equals("d") ? "new-dm" : "new-room"));
    b.waitFor(By.id("create-room-dialog"));
    b.click(By.cssSelector("label[for='room-type-" + type + "']"));
    if (name != null) {
      b.type(By.id("room-name"), name);
    }
    b.type(By.id("room-members"), members);
    if (encrypted != null && b.driver.findElement(By.id("room-encrypted")).isSelected() != encrypted) {
      b.driver.findElement(By.cssSelector("label[for='room-encrypted']")).click();
    }
    b.click(By.id("create-room-submit"));
    b.waitGone(By.id("create-room-dialog"));
  }

  static void send(Browser b, String text) {
    b.type(By.id("composer-input"), text);
    b.click(By.id("send-btn"));
  }

  /** The message element (in the open room) whose text is exactly this. */
  static By message(String text) {
    return By.xpath("//li[contains(@class,'msg')][.//p[@class='msg-text' and normalize-space()='" + text + "']]");
  }

  static By keyOnMessage(String text) {
    return By.xpath("//li[contains(@class,'msg')][.//p[@class='msg-text' and normalize-space()='" + text + "']]"
        + "//*[contains(@class,'msg-key')]");
  }

  static By verifiedOnMessage(String text) {
    return By.xpath("//li[contains(@class,'msg')][.//p[@class='msg-text' and normalize-space()='" + text + "']]"
        + "//*[contains(@class,'msg-verified')]");
  }

  /** The id of the caller's room with this name, over REST. */
  static String roomId(io.sealroom.testing.Api api, String token, String name) {
    for (Object o : api.get("/api/v1/rooms", token).json().getJsonArray("rooms")) {
      io.vertx.core.json.JsonObject r = (io.vertx.core.json.JsonObject) o;
      if (name.equals(r.getString("name"))) {
        return r.getString("id");
      }
    }
    throw new AssertionError("no room " + name);
  }

  /**
   * An encrypted room of the owner's (with keys, over REST) whose key the member never gets:
   * the owner has no browser to hand it over. Holds one message of the owner's, in that key.
   */
  static String sealedRoom(Api api, Api.User owner, String member, String name) {
    JsonObject body = new JsonObject().put("type", "p").put("name", name)
        .put("encrypted", true).put("members", new JsonArray().add(member));
    Api.Res created = api.post("/api/v1/rooms", owner.token(), body);
    assertEquals(201, created.status(), created.raw());
    String rid = created.json().getString("id");
    String kid = E2eShapes.kid();
    Api.Res established = api.post("/api/v1/rooms/" + rid + "/e2e/key-id", owner.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid)));
    assertEquals(200, established.status(), established.raw());
    JsonObject e2e = new JsonObject().put("kid", kid)
        .put("iv", E2eShapes.b64(E2eShapes.random(12))).put("ct", E2eShapes.b64(E2eShapes.random(48)));
    Api.Res sent = api.post("/api/v1/rooms/" + rid + "/messages", owner.token(),
        new JsonObject().put("cid", "sealed-" + rid).put("e2e", e2e));
    assertEquals(201, sent.status(), sent.raw());
    return rid;
  }
}
