package io.sealroom.client;

import io.sealroom.client.json.DecodeException;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Blocking JSON calls to /api/v1 over the JDK HTTP client. A refusal becomes a
 * {@link SealroomException} carrying the server's code. Thread-safe: the token is swapped
 * atomically (after an E2E reset the server issues a new one).
 */
final class Rest {
  private final HttpClient http;
  private final String base;
  private final Duration timeout;
  private volatile String token;

  Rest(HttpClient http, String baseUrl, Duration timeout, String token) {
    this.http = http;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    this.token = token;
  }

  String baseUrl() {
    return base;
  }

  String token() {
    return token;
  }

  void token(String t) {
    token = t;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  JsonObject get(String path) {
    return call("GET", path, null);
  }

  JsonObject post(String path, JsonObject body) {
    return call("POST", path, body);
  }

  JsonObject put(String path, JsonObject body) {
    return call("PUT", path, body);
  }

  JsonObject patch(String path, JsonObject body) {
    return call("PATCH", path, body);
  }

  JsonObject delete(String path, JsonObject body) {
    return call("DELETE", path, body);
  }

  /** One call; the answer's JSON object (empty for an empty body) or a SealroomException. */
  JsonObject call(String method, String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    String t = token;
    if (t != null) {
      b.header("Authorization", "Bearer " + t);
    }
    HttpResponse<String> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SealroomException("io", method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SealroomException("interrupted", method + " " + path + " interrupted", e);
    }
    JsonObject json = parse(res.body());
    if (res.statusCode() >= 200 && res.statusCode() < 300) {
      return json;
    }
    throw error(res.statusCode(), json, method + " " + path);
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  /** The exception for an error object ({"code","message","kid"?}) of a REST body or WebSocket frame. */
  static SealroomException error(int status, JsonObject body, String what) {
    JsonObject e = body.getJsonObject("error", body);
    String code = e.getString("code", "http_" + status);
    String message = e.getString("message", what + " answered " + status);
    Object kid = e.getValue("kid");
    Object reason = e.getValue("reason");
    return new SealroomException(status, code, message, kid instanceof String ? (String) kid : null,
        reason instanceof String ? (String) reason : null);
  }
}
