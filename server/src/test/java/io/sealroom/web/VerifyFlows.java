package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.vertx.core.json.JsonObject;
import org.openqa.selenium.By;

/** Steps of the verification tests: the Verify dialog, key resets, what a room shows. */
final class VerifyFlows {
  private VerifyFlows() {
  }

  /** Opens "Verify <name>" from the room info of the open room; returns the 60 digits shown. */
  static String openVerify(Browser b, String userId) {
    b.click(By.id("room-info-btn"));
    b.waitFor(By.id("room-info-dialog"));
    By direct = By.id("verify-peer");
    b.click(b.present(direct) ? direct : By.cssSelector(".verify-member[data-user-id='" + userId + "']"));
    return digits(b);
  }

  /** The digits of the open Verify dialog, once both versions were proven and the number drawn. */
  static String digits(Browser b) {
    String shown = b.waitFor(By.id("safety-number")).getText();
    String digits = shown.replaceAll("\\s+", "");
    assertTrue(digits.matches("\\d{60}"), "60 digits: " + shown);
    assertEquals(12, shown.trim().split("\\s+").length, "12 groups: " + shown);
    return digits;
  }

  static void markVerified(Browser b) {
    b.click(By.id("verify-mark"));
    b.waitGone(By.id("verify-dialog"));
  }

  /** Account -> Reset encryption key -> login password; then new keys (a new key version). */
  static void resetAndSetUpAgain(Browser b, String login) {
    b.click(By.id("account-btn"));
    b.click(By.id("reset-e2e-key"));
    b.type(By.id("reset-login-password"), login);
    b.click(By.id("reset-submit"));
    b.waitGone(By.id("reset-dialog"));
    Flows.setUp(b);
  }

  /** The warning bar of the open room about this user, of this kind (changed, kt or notice). */
  static By bar(String userId, String why) {
    return By.cssSelector("#trust-bar [data-uid='" + userId + "'][data-why='" + why + "']");
  }

  static boolean composerBlocked(Browser b) {
    return !b.driver.findElement(By.id("composer-input")).isEnabled()
        && b.driver.findElement(By.id("composer-note")).isDisplayed();
  }

  /** Whether the user holds the current key of the room (the server's hasKey), over REST. */
  static boolean hasKey(Api api, String token, String rid) {
    for (Object o : api.get("/api/v1/rooms", token).json().getJsonArray("rooms")) {
      JsonObject r = (JsonObject) o;
      if (rid.equals(r.getString("id"))) {
        return r.getBoolean("hasKey", false);
      }
    }
    throw new AssertionError("not a room of the user: " + rid);
  }

  /** The id of the caller's direct message with someone (the only room of type d). */
  static String directId(Api api, String token) {
    for (Object o : api.get("/api/v1/rooms", token).json().getJsonArray("rooms")) {
      JsonObject r = (JsonObject) o;
      if ("d".equals(r.getString("type"))) {
        return r.getString("id");
      }
    }
    throw new AssertionError("no direct message");
  }
}
