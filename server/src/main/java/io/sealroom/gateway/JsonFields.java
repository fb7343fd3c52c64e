package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.messages.E2ePayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of request fields (REST bodies and WebSocket frames): absent is null, a wrong
 * type is invalid_request naming the field.
 */
final class JsonFields {
  private JsonFields() {
  }

  static String str(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw ApiException.invalid(field, "must be a string");
    }
    return (String) v;
  }

  static String requiredStr(JsonObject o, String field) {
    String s = str(o, field);
    if (s == null || s.isEmpty()) {
      throw ApiException.invalid(field, "is required");
    }
    return s;
  }

  static Boolean bool(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean)) {
      throw ApiException.invalid(field, "must be true or false");
    }
    return (Boolean) v;
  }

  /** A non-negative integer (seq values and the like). */
  static Long seq(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
      throw ApiException.invalid(field, "must be a non-negative integer");
    }
    return ((Number) v).longValue();
  }

  static List<String> strList(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw ApiException.invalid(field, "must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object x : (JsonArray) v) {
      if (!(x instanceof String)) {
        throw ApiException.invalid(field, "must be an array of strings");
      }
      out.add((String) x);
    }
    return out;
  }

  static E2ePayload e2e(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw ApiException.invalid(field, "must be an object {kid, iv, ct, sig?, ukid?}");
    }
    JsonObject e = (JsonObject) v;
    return new E2ePayload(str(e, "kid"), str(e, "iv"), str(e, "ct"), str(e, "sig"), str(e, "ukid"));
  }

  /** A query parameter as a non-negative integer, or null when absent. */
  static Long queryLong(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < 0) {
        throw ApiException.invalid(field, "must be a non-negative integer");
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(field, "must be a non-negative integer");
    }
  }
}
