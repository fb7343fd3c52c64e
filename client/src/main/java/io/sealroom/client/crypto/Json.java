package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;

/**
 * Strict reading of the small JSON documents of the E2E formats. Every failure is an
 * {@link IllegalArgumentException} naming the member, never the value (values may be secret).
 * Stateless and thread-safe.
 */
final class Json {
  private Json() {
  }

  /** Parses a JSON object; anything else is refused. */
  static JsonObject object(String json, String what) {
    if (json == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    try {
      // refuses arrays, scalars and trailing text as well as broken JSON
      return new JsonObject(json);
    } catch (RuntimeException e) {
      // the parser's message may quote the input, which may be key material: drop it
      throw new IllegalArgumentException(what + " is not a valid JSON object");
    }
  }

  /** A member that must be a JSON object. */
  static JsonObject object(JsonObject o, String key, String what) {
    Object v = o.getValue(key);
    if (!(v instanceof JsonObject)) {
      throw new IllegalArgumentException(what + ": \"" + key + "\" must be a JSON object");
    }
    return (JsonObject) v;
  }

  /** A member that must be a string. */
  static String string(JsonObject o, String key, String what) {
    Object v = o.getValue(key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(what + ": \"" + key + "\" must be a string");
    }
    return (String) v;
  }

  /** A member that must be exactly this string. */
  static void expect(JsonObject o, String key, String expected, String what) {
    if (!expected.equals(string(o, key, what))) {
      throw new IllegalArgumentException(what + ": \"" + key + "\" must be \"" + expected + "\"");
    }
  }

  /** A string member holding canonical base64url. */
  static byte[] bytes(JsonObject o, String key, String what) {
    try {
      return B64.decode(string(o, key, what));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": \"" + key + "\" must be base64url");
    }
  }

  /**
   * An integral number within int range. JsonObject.getInteger would silently truncate a long or
   * a fraction, which for an iteration count could turn a huge value into a small one.
   */
  static int integer(JsonObject o, String key, String what) {
    Object v = o.getValue(key);
    if ((v instanceof Integer || v instanceof Long || v instanceof Short)
        && ((Number) v).longValue() == ((Number) v).intValue()) {
      return ((Number) v).intValue();
    }
    throw new IllegalArgumentException(what + ": \"" + key + "\" must be an integer");
  }
}
