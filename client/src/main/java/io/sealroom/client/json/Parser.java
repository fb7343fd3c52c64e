package io.sealroom.client.json;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict RFC 8259 reader: one value, optional white space around it, nothing after it.
 * Objects become {@link JsonObject}s (a repeated member keeps its last value), arrays
 * {@link JsonArray}s, integers Integer, Long or BigInteger by size, other numbers Double.
 * Nesting deeper than {@link #MAX_DEPTH} is refused, so a hostile document cannot exhaust the
 * stack. Not thread-safe: one instance per document.
 */
final class Parser {
  static final int MAX_DEPTH = 256;

  private final String s;
  private int i;

  private Parser(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    if (text == null) {
      throw new DecodeException("no JSON text (null)");
    }
    Parser p = new Parser(text);
    p.space();
    Object v = p.value(0);
    p.space();
    if (p.i != text.length()) {
      throw p.error("text after the JSON value");
    }
    return v;
  }

  private Object value(int depth) {
    if (i >= s.length()) {
      throw error("unexpected end of text");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character");
    }
  }

  private JsonObject object(int depth) {
    deep(depth);
    i++;
    Map<String, Object> map = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      i++;
      return new JsonObject(map);
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String key = string();
      space();
      expect(':');
      space();
      map.put(key, value(depth));
      space();
      char c = next();
      if (c == '}') {
        return new JsonObject(map);
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private JsonArray array(int depth) {
    deep(depth);
    i++;
    JsonArray out = new JsonArray();
    space();
    if (peek() == ']') {
      i++;
      return out;
    }
    while (true) {
      space();
      out.add(value(depth));
      space();
      char c = next();
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    i++; // the opening quote
    StringBuilder b = null;
    int start = i;
    while (true) {
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(i);
      if (c == '"') {
        String out = b == null ? s.substring(start, i) : b.append(s, start, i).toString();
        i++;
        return out;
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (b == null) {
        b = new StringBuilder();
      }
      b.append(s, start, i);
      i++;
      b.append(escape());
      start = i;
    }
  }

  private char escape() {
    char c = next();
    switch (c) {
      case '"':
      case '\\':
      case '/':
        return c;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        if (i + 4 > s.length()) {
          throw error("short \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
          int d = Character.digit(s.charAt(i++), 16);
          if (d < 0) {
            throw error("bad \\u escape");
          }
          v = v * 16 + d;
        }
        return (char) v;
      default:
        throw error("bad escape");
    }
  }

  private Object number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("bad number");
    }
    boolean integral = true;
    if (peek() == '.') {
      i++;
      integral = false;
      if (!isDigit(peek())) {
        throw error("bad number");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      integral = false;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      if (!isDigit(peek())) {
        throw error("bad number");
      }
      digits();
    }
    String n = s.substring(start, i);
    if (!integral) {
      return Double.parseDouble(n);
    }
    if (n.length() <= 18) {
      long v = Long.parseLong(n);
      return v == (int) v ? (Object) (int) v : (Object) v;
    }
    BigInteger big = new BigInteger(n);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  private void digits() {
    while (isDigit(peek())) {
      i++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw error("unexpected character");
    }
    i += word.length();
    return v;
  }

  private void deep(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private char next() {
    if (i >= s.length()) {
      throw error("unexpected end of text");
    }
    return s.charAt(i++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private DecodeException error(String what) {
    return new DecodeException("invalid JSON at offset " + Math.min(i, s.length()) + ": " + what);
  }
}
