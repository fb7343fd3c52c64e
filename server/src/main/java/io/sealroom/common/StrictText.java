package io.sealroom.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Text is taken exactly as sent or not at all: bytes that are not UTF-8 (overlong forms,
 * encoded surrogates, stray bytes) and JSON strings with an unpaired surrogate escape
 * ({@code "\ud800"}) are refused with invalid_request instead of being stored as U+FFFD or
 * "?". Stateless.
 */
public final class StrictText {
  private StrictText() {
  }

  /** The bytes as UTF-8 text; throws invalid_request naming the field when they are not UTF-8. */
  public static String utf8(byte[] bytes, String field) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ApiException.invalid(field, "is not valid UTF-8");
    }
  }

  /** Throws invalid_request when a string anywhere in the JSON value (keys included) has an unpaired surrogate. */
  public static void checkJson(Object value, String field) {
    if (value instanceof String) {
      if (!wellFormed((String) value)) {
        throw ApiException.invalid(field, "has a string with an unpaired surrogate (not Unicode text)");
      }
    } else if (value instanceof JsonObject) {
      for (Map.Entry<String, Object> e : (JsonObject) value) {
        checkJson(e.getKey(), field);
        checkJson(e.getValue(), field);
      }
    } else if (value instanceof JsonArray) {
      for (Object o : (JsonArray) value) {
        checkJson(o, field);
      }
    }
  }

  /** True when every surrogate in the string is part of a pair. */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** True when the percent-encoded text (a raw path or query) decodes to UTF-8 and has no bad escapes. */
  public static boolean validPercentEncoded(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      return true;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return false;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return false;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    try {
      utf8(out.toByteArray(), "url");
      return true;
    } catch (ApiException e) {
      return false;
    }
  }
}
