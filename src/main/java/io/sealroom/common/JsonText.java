package io.sealroom.common;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes one JSON object as text, field by field, for the shapes written once per message (the
 * stored message, the msg and ack frames): the same JSON that a JsonObject with the same fields in
 * the same order encodes, at a fraction of its cost (no map, no tree walk, no generator). Strings
 * are escaped as JSON requires: quote, backslash and control characters, and a lone surrogate as
 * a \\u escape, so that the text is valid UTF-8 and reads back as the same string.
 */
public final class JsonText {
  private final StringBuilder sb;
  private boolean first = true;

  public JsonText(int capacity) {
    sb = new StringBuilder(capacity).append('{');
  }

  public JsonText field(String name, String value) {
    name(name);
    if (value == null) {
      sb.append("null");
    } else {
      string(value);
    }
    return this;
  }

  public JsonText field(String name, long value) {
    name(name);
    sb.append(value);
    return this;
  }

  /** Opens a nested object as the value of name; close it with {@link #end()}. */
  public JsonText object(String name) {
    name(name);
    sb.append('{');
    first = true;
    return this;
  }

  /** Closes the innermost open object. */
  public JsonText end() {
    sb.append('}');
    first = false;
    return this;
  }

  /** The text of the object (closing the outermost object). */
  public String close() {
    return sb.append('}').toString();
  }

  public byte[] utf8() {
    return close().getBytes(StandardCharsets.UTF_8);
  }

  public Buffer buffer() {
    return Buffer.buffer(utf8());
  }

  private void name(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    string(name);
    sb.append(':');
  }

  private void string(String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        escape(c);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
        } else {
          escape(c);
        }
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private void escape(char c) {
    switch (c) {
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      default -> {
        String hex = Integer.toHexString(c);
        sb.append("\\u");
        for (int k = hex.length(); k < 4; k++) {
          sb.append('0');
        }
        sb.append(hex);
      }
    }
  }
}
