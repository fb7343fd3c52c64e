package io.sealroom.audit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The log's public routes, read over HTTP(S) with the JDK's client. */
final class AuditClient {
  /** The node answered something else than the routes promise. */
  static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** A route answered 404: the log does not hold what was asked for. */
  static final class Missing extends IOException {
    Missing(String message) {
      super(message);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  AuditClient(String url) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  JsonObject head() throws IOException, InterruptedException {
    return get("/api/v1/kt/head");
  }

  JsonObject leaves(long start, long end) throws IOException, InterruptedException {
    return get("/api/v1/kt/leaves?start=" + start + "&end=" + end);
  }

  JsonObject proof(String uid, String ukid, long size) throws IOException, InterruptedException {
    return get("/api/v1/kt/proof?uid=" + enc(uid) + "&ukid=" + enc(ukid) + "&size=" + size);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonObject get(String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (res.statusCode() == 404) {
      throw new Missing(path + ": 404");
    }
    if (res.statusCode() != 200) {
      throw new Unreadable(path + ": HTTP " + res.statusCode());
    }
    try {
      return new JsonObject(res.body());
    } catch (RuntimeException e) {
      throw new Unreadable(path + ": not a JSON object");
    }
  }
}
