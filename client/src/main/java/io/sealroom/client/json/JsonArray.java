package io.sealroom.client.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A JSON array of the values {@link JsonObject} allows, with the Vert.x JsonArray's method names.
 * Not thread-safe.
 */
public final class JsonArray implements Iterable<Object> {
  private final List<Object> list;

  public JsonArray() {
    this.list = new ArrayList<>();
  }

  /** Parses text that must hold one JSON array. */
  public JsonArray(String json) {
    Object v = Parser.parse(json);
    if (!(v instanceof JsonArray)) {
      throw new DecodeException("the JSON text is not an array");
    }
    this.list = ((JsonArray) v).list;
  }

  /** Wraps this list (not a copy); its elements must be JSON values. */
  @SuppressWarnings("unchecked")
  public JsonArray(List<?> list) {
    this.list = (List<Object>) Objects.requireNonNull(list);
  }

  public JsonArray add(Object value) {
    list.add(checked(value));
    return this;
  }

  public Object getValue(int i) {
    return list.get(i);
  }

  public String getString(int i) {
    Object v = list.get(i);
    return v == null ? null : v.toString();
  }

  public Long getLong(int i) {
    Number n = (Number) list.get(i);
    return n == null ? null : Long.valueOf(n.longValue());
  }

  public Integer getInteger(int i) {
    Number n = (Number) list.get(i);
    return n == null ? null : Integer.valueOf(n.intValue());
  }

  public Boolean getBoolean(int i) {
    return (Boolean) list.get(i);
  }

  public JsonObject getJsonObject(int i) {
    return (JsonObject) list.get(i);
  }

  public JsonArray getJsonArray(int i) {
    return (JsonArray) list.get(i);
  }

  public boolean contains(Object value) {
    return list.contains(value);
  }

  public Object remove(int i) {
    return list.remove(i);
  }

  public int size() {
    return list.size();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public JsonArray clear() {
    list.clear();
    return this;
  }

  /** The elements themselves (not a copy). */
  public List<Object> getList() {
    return list;
  }

  @Override
  public Iterator<Object> iterator() {
    return list.iterator();
  }

  public Stream<Object> stream() {
    return list.stream();
  }

  /** A deep copy. */
  public JsonArray copy() {
    List<Object> out = new ArrayList<>(list.size());
    list.forEach(v -> out.add(copyOf(v)));
    return new JsonArray(out);
  }

  public String encode() {
    return Writer.write(this);
  }

  @Override
  public String toString() {
    return encode();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JsonArray)) {
      return false;
    }
    List<Object> other = ((JsonArray) o).list;
    if (other.size() != list.size()) {
      return false;
    }
    for (int i = 0; i < list.size(); i++) {
      if (!sameValue(list.get(i), other.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return list.size();
  }

  /** A value JSON can hold; CharSequences become Strings. */
  static Object checked(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
        || v instanceof JsonObject || v instanceof JsonArray) {
      return v;
    }
    if (v instanceof CharSequence) {
      return v.toString();
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }

  static Object copyOf(Object v) {
    if (v instanceof JsonObject) {
      return ((JsonObject) v).copy();
    }
    return v instanceof JsonArray ? ((JsonArray) v).copy() : v;
  }

  static boolean same(Map<String, Object> a, Map<String, Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!b.containsKey(e.getKey()) || !sameValue(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Equal values; numbers compare by value, so 1 (Integer) equals 1 (Long). */
  static boolean sameValue(Object a, Object b) {
    if (a instanceof Number && b instanceof Number && !(a instanceof Double) && !(b instanceof Double)) {
      return ((Number) a).longValue() == ((Number) b).longValue() && a.toString().equals(b.toString());
    }
    return Objects.equals(a, b);
  }
}
