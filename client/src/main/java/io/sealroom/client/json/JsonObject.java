package io.sealroom.client.json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A JSON object: members in insertion order, values String, Number, Boolean, JsonObject,
 * JsonArray or null. The SDK's own small JSON tree (so that the SDK needs no JSON library); its
 * methods follow the Vert.x JsonObject's names and conversions. A getter of the wrong type throws
 * ClassCastException. Not thread-safe.
 */
public final class JsonObject {
  private final Map<String, Object> map;

  public JsonObject() {
    this.map = new LinkedHashMap<>();
  }

  /** Parses text that must hold one JSON object; anything else is a {@link DecodeException}. */
  public JsonObject(String json) {
    Object v = Parser.parse(json);
    if (!(v instanceof JsonObject)) {
      throw new DecodeException("the JSON text is not an object");
    }
    this.map = ((JsonObject) v).map;
  }

  /** Wraps this map (not a copy). */
  public JsonObject(Map<String, Object> map) {
    this.map = Objects.requireNonNull(map);
  }

  /** Sets a member; the value must be a JSON value (CharSequences are stored as Strings). */
  public JsonObject put(String key, Object value) {
    map.put(Objects.requireNonNull(key), JsonArray.checked(value));
    return this;
  }

  public Object getValue(String key) {
    return map.get(key);
  }

  public Object getValue(String key, Object def) {
    Object v = map.get(key);
    return v != null || map.containsKey(key) ? v : def;
  }

  /** The value as text: a string as is, any other value as its JSON (null when absent). */
  public String getString(String key) {
    Object v = map.get(key);
    return v == null ? null : v.toString();
  }

  public String getString(String key, String def) {
    String v = getString(key);
    return v == null ? def : v;
  }

  public Long getLong(String key) {
    Number n = (Number) map.get(key);
    return n == null ? null : n instanceof Long ? (Long) n : Long.valueOf(n.longValue());
  }

  public Long getLong(String key, Long def) {
    Long v = getLong(key);
    return v == null ? def : v;
  }

  public Integer getInteger(String key) {
    Number n = (Number) map.get(key);
    return n == null ? null : n instanceof Integer ? (Integer) n : Integer.valueOf(n.intValue());
  }

  public Integer getInteger(String key, Integer def) {
    Integer v = getInteger(key);
    return v == null ? def : v;
  }

  public Double getDouble(String key) {
    Number n = (Number) map.get(key);
    return n == null ? null : Double.valueOf(n.doubleValue());
  }

  public Boolean getBoolean(String key) {
    return (Boolean) map.get(key);
  }

  public Boolean getBoolean(String key, Boolean def) {
    Boolean v = getBoolean(key);
    return v == null ? def : v;
  }

  public JsonObject getJsonObject(String key) {
    return (JsonObject) map.get(key);
  }

  public JsonObject getJsonObject(String key, JsonObject def) {
    JsonObject v = getJsonObject(key);
    return v == null ? def : v;
  }

  public JsonArray getJsonArray(String key) {
    return (JsonArray) map.get(key);
  }

  public JsonArray getJsonArray(String key, JsonArray def) {
    JsonArray v = getJsonArray(key);
    return v == null ? def : v;
  }

  public boolean containsKey(String key) {
    return map.containsKey(key);
  }

  /** Removes a member; its value, or null. */
  public Object remove(String key) {
    return map.remove(key);
  }

  public Set<String> fieldNames() {
    return map.keySet();
  }

  /** The members themselves (not a copy). */
  public Map<String, Object> getMap() {
    return map;
  }

  public int size() {
    return map.size();
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  public JsonObject clear() {
    map.clear();
    return this;
  }

  /** A deep copy. */
  public JsonObject copy() {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, JsonArray.copyOf(v)));
    return new JsonObject(out);
  }

  /** Compact JSON text. */
  public String encode() {
    return Writer.write(this);
  }

  @Override
  public String toString() {
    return encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonObject && JsonArray.same(map, ((JsonObject) o).map);
  }

  @Override
  public int hashCode() {
    return map.keySet().hashCode();
  }
}
