package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.SafetyNumbers;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Safety numbers against the shared vector (computed independently with Python's hashlib), and their forms. */
class SafetyNumberTest {
  static JsonArray cases() throws IOException {
    try (InputStream in = SafetyNumberTest.class.getResourceAsStream("/safety-number-vector.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("cases");
    }
  }

  @Test
  void everyVectorGivesItsHalvesAndTheSameSixtyDigitsFromBothSides() throws IOException {
    JsonArray cases = cases();
    assertEquals(3, cases.size());
    for (int i = 0; i < cases.size(); i++) {
      JsonObject c = cases.getJsonObject(i);
      JsonObject a = c.getJsonObject("a");
      JsonObject b = c.getJsonObject("b");
      byte[] xa = B64.decode(a.getString("x"));
      byte[] xb = B64.decode(b.getString("x"));
      assertEquals(a.getString("digits"), SafetyNumbers.half(xa, a.getString("uid")), "half of a, case " + i);
      assertEquals(b.getString("digits"), SafetyNumbers.half(xb, b.getString("uid")), "half of b, case " + i);
      String expected = c.getString("safetyNumber");
      assertEquals(expected, SafetyNumbers.of(xa, a.getString("uid"), xb, b.getString("uid")), "a's view, case " + i);
      assertEquals(expected, SafetyNumbers.of(xb, b.getString("uid"), xa, a.getString("uid")), "b's view, case " + i);
    }
  }

  @Test
  void theNumberShowsAsTwelveGroupsAndAQrPayload() throws IOException {
    String digits = cases().getJsonObject(0).getString("safetyNumber");
    SafetyNumber n = new SafetyNumber(digits);
    List<String> groups = n.groups();
    assertEquals(12, groups.size());
    assertEquals("52761", groups.get(0));
    assertEquals(digits, String.join("", groups));
    assertTrue(n.display().startsWith("52761 31430 84940 "));
    assertEquals("sealroom-sn:1:" + digits, n.qrPayload());
  }

  @Test
  void aScannedOrTypedNumberMatchesOnlyWhenEqual() throws IOException {
    String digits = cases().getJsonObject(0).getString("safetyNumber");
    SafetyNumber n = new SafetyNumber(digits);
    assertTrue(n.matches(n.qrPayload()));
    assertTrue(n.matches(digits));
    assertTrue(n.matches(" " + n.display() + "\n"), "typed with spaces between the groups");
    String other = (digits.charAt(0) == '9' ? "8" : "9") + digits.substring(1);
    assertFalse(n.matches(other));
    assertFalse(n.matches("sealroom-sn:1:" + other));
    assertFalse(n.matches("sealroom-sn:2:" + digits), "another format version");
    assertFalse(n.matches(digits.substring(1)));
    assertFalse(n.matches(digits + "0"));
    assertFalse(n.matches("sealroom-sn:1: " + digits));
    assertFalse(n.matches(null));
    assertFalse(n.matches(""));
  }

  @Test
  void malformedNumbersAndKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SafetyNumber("123"));
    assertThrows(IllegalArgumentException.class, () -> new SafetyNumber("a".repeat(60)));
    assertThrows(IllegalArgumentException.class, () -> SafetyNumbers.half(new byte[31], "u"));
  }
}
