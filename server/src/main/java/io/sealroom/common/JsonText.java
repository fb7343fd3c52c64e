package io.sealroom.common;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one JSON object as UTF-8, field by field, for the shapes written once per message (the
 * stored message, the msg and ack frames): the same JSON that a JsonObject with the same fields in
 * the same order encodes, for about half its cost (no map, no tree walk, no generator; ASCII is
 * copied byte for byte). Strings are escaped as JSON requires: quote, backslash and control
 * characters, and a lone surrogate as a \\u escape, so that the text is valid UTF-8 and reads back
 * as the same string.
 */
public final class JsonText {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private byte[] out;
  private int pos;
  private boolean first = true;

  public JsonText(int capacity) {
    out = new byte[Math.max(16, capacity)];
    out[pos++] = '{';
  }

  public JsonText field(String name, String value) {
    name(name);
    if (value == null) {
      ascii("null");
    } else {
      string(value);
    }
    return this;
  }

  public JsonText field(String name, long value) {
    name(name);
    ascii(Long.toString(value));
    return this;
  }

  /** Opens a nested object as the value of name; close it with {@link #end()}. */
  public JsonText object(String name) {
    name(name);
    put((byte) '{');
    first = true;
    return this;
  }

  /** Closes the innermost open object. */
  public JsonText end() {
    put((byte) '}');
    first = false;
    return this;
  }

  /** The UTF-8 text of the object (closing the outermost object). */
  public byte[] utf8() {
    put((byte) '}');
    return Arrays.copyOf(out, pos);
  }

  /** The text of the object (closing the outermost object). */
  public String close() {
    return new String(utf8(), StandardCharsets.UTF_8);
  }

  public Buffer buffer() {
    put((byte) '}');
    return Buffer.buffer(pos).appendBytes(out, 0, pos);
  }

  private void name(String name) {
    if (!first) {
      put((byte) ',');
    }
    first = false;
    string(name);
    put((byte) ':');
  }

  private void string(String s) {
    int n = s.length();
    room(n + 2);
    out[pos++] = '"';
    // the usual case: a run of printable ASCII, copied in one go (a Latin-1 string's own bytes)
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        break;
      }
      i++;
    }
    copyAscii(s, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      room(12);
      if (c == '"' || c == '\\') {
        out[pos++] = '\\';
        out[pos++] = (byte) c;
      } else if (c < 0x20) {
        escape(c);
      } else if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xc0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        out[pos++] = (byte) (0xe0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        out[pos++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[pos++] = (byte) (0xf0 | (cp >> 18));
        out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        out[pos++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        escape(c); // a lone surrogate has no UTF-8 form
      }
    }
    put((byte) '"');
  }

  @SuppressWarnings("deprecation") // the one String method that copies low bytes without encoding
  private void copyAscii(String s, int end) {
    s.getBytes(0, end, out, pos);
    pos += end;
  }

  private void escape(char c) {
    out[pos++] = '\\';
    switch (c) {
      case '\n' -> out[pos++] = 'n';
      case '\r' -> out[pos++] = 'r';
      case '\t' -> out[pos++] = 't';
      case '\b' -> out[pos++] = 'b';
      case '\f' -> out[pos++] = 'f';
      default -> {
        out[pos++] = 'u';
        out[pos++] = HEX[(c >> 12) & 0xf];
        out[pos++] = HEX[(c >> 8) & 0xf];
        out[pos++] = HEX[(c >> 4) & 0xf];
        out[pos++] = HEX[c & 0xf];
      }
    }
  }

  private void ascii(String s) {
    room(s.length());
    copyAscii(s, s.length());
  }

  private void put(byte b) {
    room(1);
    out[pos++] = b;
  }

  private void room(int more) {
    if (pos + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, pos + more));
    }
  }
}
