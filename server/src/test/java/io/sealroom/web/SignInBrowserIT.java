package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The sign-in screen speaks to people, not in the server's field syntax: each refusal of a
 * registration or login is one human sentence that says what to do, marks the field it is
 * about (aria-invalid, described by the error) and moves focus there.
 */
class SignInBrowserIT {
  static final String T = "sign-in";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void registrationAndLoginErrorsAreHumanSentences() throws Exception {
    String taken = Flows.name("taken");
    api.register(taken, "password-" + taken);
    try (Browser b = Browser.open("visitor", node.baseUrl())) {
      b.click(By.id("tab-register"));
      b.type(By.id("auth-username"), Flows.name("newcomer"));
      b.type(By.id("auth-password"), "short");
      b.click(By.id("auth-submit"));
      assertError(b, "Choose a password of 8 to 1024 characters.", "auth-password");
      b.screenshot(T, "register-short-password");

      b.type(By.id("auth-username"), "x");
      b.type(By.id("auth-password"), "long enough password");
      b.click(By.id("auth-submit"));
      assertError(b, "Choose a username of 2 to 64 characters", "auth-username");
      assertFalse(b.driver.findElement(By.id("auth-password")).getAttribute("aria-invalid") != null
          && b.driver.findElement(By.id("auth-password")).getAttribute("aria-invalid").equals("true"),
          "only the field at fault is marked");
      b.screenshot(T, "register-bad-username");

      b.type(By.id("auth-username"), taken);
      b.click(By.id("auth-submit"));
      assertError(b, "That username is taken. Choose another one.", "auth-username");
      b.screenshot(T, "register-taken");

      b.click(By.id("tab-login"));
      b.type(By.id("auth-username"), taken);
      b.type(By.id("auth-password"), "not the password");
      b.click(By.id("auth-submit"));
      assertError(b, "Wrong username or password.", "auth-password");
      b.screenshot(T, "login-wrong-password");
    }
    try (TestNode closed = TestNode.start(Map.of("auth.registration", "closed"));
        Browser b = Browser.open("visitor-closed", closed.baseUrl())) {
      b.click(By.id("tab-register"));
      b.type(By.id("auth-username"), "someone");
      b.type(By.id("auth-password"), "long enough password");
      b.click(By.id("auth-submit"));
      assertError(b, "This server does not take new accounts. Ask its administrator for one.", null);
      b.screenshot(T, "register-closed");
    }
  }

  /** The error says exactly the sentence (no "field: ..." syntax); the field it names is marked and focused. */
  static void assertError(Browser b, String sentence, String fieldId) {
    b.waitUntil("error: " + sentence, () -> {
      WebElement e = b.driver.findElement(By.id("auth-error"));
      return e.isDisplayed() && e.getText().startsWith(sentence);
    });
    String text = b.driver.findElement(By.id("auth-error")).getText();
    assertFalse(text.matches("(?s)^[a-z]+: .*"), "no raw server text: " + text);
    assertFalse(text.contains("must be"), text);
    if (fieldId != null) {
      WebElement field = b.driver.findElement(By.id(fieldId));
      assertEquals("true", field.getAttribute("aria-invalid"), fieldId);
      assertTrue(String.valueOf(field.getAttribute("aria-describedby")).contains("auth-error"), fieldId);
      assertEquals(fieldId, b.js("return document.activeElement.id;"), "focus moves to the field");
    }
  }
}
