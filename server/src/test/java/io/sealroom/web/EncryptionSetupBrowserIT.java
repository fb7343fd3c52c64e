package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The user guide's key steps in real browsers: the banner and the password dialog, setting up,
 * unlocking on another profile (a wrong password says so and allows a retry), changing the
 * password and unlocking a fresh profile with the new one, and resetting the key.
 */
class EncryptionSetupBrowserIT {
  static final String T = "encryption-setup";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void setUpUnlockElsewhereChangeThePasswordAndReset() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    String login = "login-password-" + alice;
    String first;
    try (Browser a = Browser.open("alice-desktop", node.baseUrl())) {
      a.register(alice, login);
      assertTrue(a.waitFor(By.id("e2e-banner")).getText().contains("Save your encryption password"));
      a.screenshot(T, "banner");
      first = Flows.openSetupDialog(a);
      assertEquals(7, first.split(" ").length, "seven words: 77 bits");
      assertTrue(a.waitFor(By.id("password-warning")).getText().contains("The server does not know this password"));
      assertTrue(a.present(By.id("copy-password")));
      assertFalse(a.driver.findElement(By.id("password-done")).isEnabled(), "confirm first");
      a.screenshot(T, "password-dialog");

      a.click(By.id("password-later"));
      assertTrue(a.waitFor(By.id("dismiss-question")).getText().contains("Close without saving"));
      a.screenshot(T, "dismiss-asks-first");
      a.click(By.id("dismiss-back"));
      Flows.confirmPasswordSaved(a);
      a.waitGone(By.id("e2e-banner"));
      a.screenshot(T, "set-up");

      Map<?, ?> stored = Flows.storedIdentity(a);
      assertEquals(Boolean.FALSE, stored.get("rsaExtractable"), "the private RSA key is not extractable");
      assertEquals(Boolean.FALSE, stored.get("sigExtractable"), "the private signing key is not extractable");
      assertEquals(List.of(), Flows.localStorageKeysOtherThanReadMarkers(a), "nothing but read markers and public key-log state in localStorage");
    }

    String token = api.login(alice, login).json().getString("token");
    JsonObject keys = api.get("/api/v1/e2e/keys", token).json();
    assertTrue(keys.getJsonObject("privateKey").getInteger("iter") >= 600_000, keys.encode());
    assertEquals("RSA-OAEP-256", keys.getJsonObject("publicKey").getString("alg"));
    assertEquals("Ed25519", keys.getJsonObject("signingKey").getString("crv"));
    assertFalse(keys.encode().contains(first.split(" ")[0] + " "), "the password is not uploaded");

    String second;
    try (Browser b = Browser.open("alice-laptop", node.baseUrl())) {
      b.login(alice, login);
      assertTrue(b.waitFor(By.id("e2e-banner")).getText().contains("Enter your encryption password"));
      b.click(By.id("e2e-banner"));
      Flows.unlockExpectingWrong(b, "wrong words that unlock nothing at all");
      b.screenshot(T, "unlock-wrong-password");
      Flows.unlock(b, first);
      b.screenshot(T, "unlocked-on-second-profile");

      b.click(By.id("account-btn"));
      assertTrue(b.waitFor(By.id("encryption-status")).getText().contains("unlocked on this device"));
      b.screenshot(T, "my-account-encryption");
      b.click(By.id("change-e2e-password"));
      b.type(By.id("current-e2e-password"), "not the current one");
      b.click(By.id("change-submit"));
      b.waitUntil("wrong current password refused", () -> b.driver.findElement(By.cssSelector("#change-dialog .form-error"))
          .getText().contains("not right"));
      b.type(By.id("current-e2e-password"), first);
      b.click(By.id("change-submit"));
      second = b.waitFor(By.id("e2e-password")).getText();
      assertNotEquals(first, second);
      b.screenshot(T, "new-password");
      Flows.confirmPasswordSaved(b);
    }
    assertEquals(keys.getJsonObject("publicKey"), api.get("/api/v1/e2e/keys", token).json().getJsonObject("publicKey"),
        "a password change re-wraps the same key pair");

    try (Browser c = Browser.open("alice-phone", node.baseUrl())) {
      c.login(alice, login);
      c.click(By.id("e2e-banner"));
      Flows.unlockExpectingWrong(c, first);
      Flows.unlock(c, second);
      c.screenshot(T, "unlocked-with-new-password");

      c.click(By.id("account-btn"));
      c.click(By.id("reset-e2e-key"));
      c.type(By.id("reset-login-password"), "not my login password");
      c.click(By.id("reset-submit"));
      c.waitUntil("wrong login password refused", () -> c.driver.findElement(By.cssSelector("#reset-dialog .form-error"))
          .getText().contains("login password is not right"));
      c.screenshot(T, "reset-dialog");
      c.type(By.id("reset-login-password"), login);
      c.click(By.id("reset-submit"));
      c.waitGone(By.id("reset-dialog"));
      assertTrue(c.waitFor(By.id("e2e-banner")).getText().contains("Save your encryption password"),
          "after a reset the user sets up again");
      c.waitUntil("still signed in with the token the reset answered", () -> c.present(By.id("shell")));
      String fresh = Flows.openSetupDialog(c);
      Flows.confirmPasswordSaved(c);
      c.waitGone(By.id("e2e-banner"));
      assertNotEquals(second, fresh);
    }
    assertEquals("unauthorized", api.get("/api/v1/me", token).errorCode(), "the reset ended older sessions");
  }
}
