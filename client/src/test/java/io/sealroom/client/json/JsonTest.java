package io.sealroom.client.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsEveryKindOfValue() {
    JsonObject o = new JsonObject(" {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\", \"i\":-12, \"l\":12345678901,"
        + " \"big\":123456789012345678901234, \"d\":1.5e2, \"t\":true, \"f\":false, \"n\":null,"
        + " \"o\":{\"x\":[1,[],{}]}, \"a\":[] } ");
    assertEquals("a\"b\\c/d\né\uD83D\uDE00", o.getString("s"));
    assertEquals(-12, o.getValue("i"));
    assertEquals(12345678901L, o.getValue("l"));
    assertEquals(new BigInteger("123456789012345678901234"), o.getValue("big"));
    assertEquals(150.0, o.getValue("d"));
    assertEquals(-12L, o.getLong("i"));
    assertEquals(150, o.getInteger("d"));
    assertTrue(o.getBoolean("t"));
    assertFalse(o.getBoolean("f"));
    assertTrue(o.containsKey("n"));
    assertNull(o.getValue("n"));
    assertEquals("dflt", o.getValue("missing", "dflt"));
    assertNull(o.getValue("n", "dflt"), "a member that is null is present");
    assertEquals(3, o.getJsonObject("o").getJsonArray("x").size());
    assertTrue(o.getJsonArray("a").isEmpty());
    assertEquals(List.of("s", "i", "l", "big", "d", "t", "f", "n", "o", "a"), List.copyOf(o.fieldNames()));
  }

  @Test
  void writesCompactTextThatReadsBack() {
    JsonObject o = new JsonObject().put("text", "line\n\t\"q\" \\ \u0001 é 😀").put("n", 7).put("l", 1L << 40)
        .put("b", false).put("z", null).put("arr", new JsonArray().add(1.25).add("x").add(new JsonObject()));
    String text = o.encode();
    assertEquals("{\"text\":\"line\\n\\t\\\"q\\\" \\\\ \\u0001 é 😀\",\"n\":7,\"l\":1099511627776,\"b\":false,"
        + "\"z\":null,\"arr\":[1.25,\"x\",{}]}", text);
    assertEquals(o, new JsonObject(text));
    assertEquals(text, new JsonObject(text).encode());
    assertEquals(text, o.copy().encode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "[]", "\"s\"", "1", "null", "{", "{\"a\":1} x", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
      "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"\\x\"}",
      "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"open}", "{\"a\":[1 2]}", "{\"a\":NaN}", "{'a':1}",
      "{\"a\":1}}"})
  void refusesWhatIsNotOneJsonObject(String text) {
    DecodeException e = assertThrows(DecodeException.class, () -> new JsonObject(text));
    assertTrue(e.getMessage().startsWith("invalid JSON at offset") || e.getMessage().contains("not an object"), e.getMessage());
  }

  @Test
  void refusesNestingThatWouldExhaustTheStack() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThrows(DecodeException.class, () -> new JsonObject(deep));
    String fine = "{\"a\":" + "[".repeat(Parser.MAX_DEPTH - 1) + "]".repeat(Parser.MAX_DEPTH - 1) + "}";
    assertEquals(1, new JsonObject(fine).size());
  }

  @Test
  void errorsNeverQuoteTheText() {
    DecodeException e = assertThrows(DecodeException.class, () -> new JsonObject("{\"d\":\"secret-key-material"));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void gettersConvertNumbersAndRefuseOtherTypes() {
    JsonObject o = new JsonObject("{\"n\":5,\"s\":\"x\",\"o\":{}}");
    assertInstanceOf(Long.class, o.getLong("n"));
    assertEquals("5", o.getString("n"), "like Vert.x: a non-string value reads as its text");
    assertThrows(ClassCastException.class, () -> o.getLong("s"));
    assertThrows(ClassCastException.class, () -> o.getJsonArray("o"));
    assertThrows(IllegalArgumentException.class, () -> o.put("bad", new Object()));
    assertEquals(new JsonObject().put("n", 5L), new JsonObject().put("n", 5), "numbers compare by value");
  }
}
