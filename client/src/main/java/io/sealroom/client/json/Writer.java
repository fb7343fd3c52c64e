package io.sealroom.client.json;

import java.util.Map;

/** Compact JSON text of a value: no white space, non-ASCII written as is, controls escaped. */
final class Writer {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Writer() {
  }

  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    value(b, v);
    return b.toString();
  }

  static void value(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      string(b, (String) v);
    } else if (v instanceof JsonObject) {
      object(b, ((JsonObject) v).getMap());
    } else if (v instanceof JsonArray) {
      b.append('[');
      boolean first = true;
      for (Object e : ((JsonArray) v).getList()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        value(b, e);
      }
      b.append(']');
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      b.append(v);
    } else {
      // Boolean, Integer, Long, BigInteger, BigDecimal
      b.append(v);
    }
  }

  private static void object(StringBuilder b, Map<String, Object> map) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, e.getKey());
      b.append(':');
      value(b, e.getValue());
    }
    b.append('}');
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        default:
          if (c < 0x20) {
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
