package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node serves the browser client at / with a same-origin-only CSP, revalidated on every
 * load, gzip-compressed for clients that accept it, and answers HEAD for its files.
 */
class WebClientIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheIndexAtTheRootWithAStrictPolicy() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(r.body().contains("<script type=\"module\" src=\"/js/app.js\"></script>"));
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && csp.contains("object-src 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    assertFalse(r.body().matches("(?s).*<script>.*") || r.body().contains("style="), "no inline script or style");
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
  }

  @Test
  void modulesAreRevalidatedSoNoStaleCodeRuns() throws Exception {
    HttpResponse<String> r = get("/js/app.js");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
    String lastModified = r.headers().firstValue("Last-Modified").orElseThrow();
    assertEquals(304, get("/js/app.js", "If-Modified-Since", lastModified).statusCode());
  }

  static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void filesAreGzippedWhenTheClientAcceptsIt() throws Exception {
    for (String path : new String[] {"/", "/js/app.js", "/js/chat.js", "/app.css"}) {
      String plain = get(path).body();
      HttpResponse<byte[]> r = send("GET", path, "Accept-Encoding", "gzip, deflate, br");
      assertEquals(200, r.statusCode(), path);
      assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""), path);
      assertTrue(r.headers().firstValue("Vary").orElse("").toLowerCase(java.util.Locale.ROOT).contains("accept-encoding"), path);
      assertEquals(plain, gunzip(r.body()), path + " decompresses to the file");
      assertTrue(r.body().length < plain.length(), path + ": " + r.body().length + " of " + plain.length() + " bytes");
      assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""), path);
      assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent(), path);
    }
    HttpResponse<byte[]> identity = send("GET", "/js/app.js");
    assertTrue(identity.headers().firstValue("Content-Encoding").isEmpty(), "no Accept-Encoding, no compression");
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws Exception {
    for (String path : new String[] {"/", "/js/app.js", "/app.css"}) {
      HttpResponse<String> got = get(path);
      HttpResponse<byte[]> head = send("HEAD", path);
      assertEquals(200, head.statusCode(), path);
      assertEquals(0, head.body().length, path);
      for (String h : new String[] {"Content-Type", "Cache-Control", "Last-Modified", "Content-Security-Policy",
          "X-Content-Type-Options", "Referrer-Policy"}) {
        assertEquals(got.headers().firstValue(h), head.headers().firstValue(h), path + " " + h);
      }
      assertEquals(String.valueOf(got.body().getBytes(StandardCharsets.UTF_8).length),
          head.headers().firstValue("Content-Length").orElse(""), path);
    }
    assertEquals(404, send("HEAD", "/no-such-file.js").statusCode());
  }

  @Test
  void apiAnswersAreSentAsTheyAreToClientsThatAcceptGzip() throws Exception {
    var api = node.api();
    var u = api.newUser("gzip");
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/me"))
        .header("Authorization", "Bearer " + u.token()).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), r.headers().map().toString());
    assertEquals(u.username(), new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getString("username"));
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    for (String path : new String[] {"/api/nope", "/no-such-file.js", "/health"}) {
      HttpResponse<byte[]> other = send("GET", path, "Accept-Encoding", "gzip");
      assertTrue(other.headers().firstValue("Content-Encoding").isEmpty(), path);
      JsonObject json = new JsonObject(new String(other.body(), StandardCharsets.UTF_8));
      assertTrue(path.equals("/health") ? json.containsKey("status")
          : "not_found".equals(json.getJsonObject("error").getString("code")), path + " " + json);
    }
  }

  @Test
  void unknownApiRoutesKeepTheirJson404() throws Exception {
    for (String path : new String[] {"/api/v2/nope", "/api/nope", "/index.html/../api/x", "/no-such-file.js"}) {
      HttpResponse<String> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("not_found", new JsonObject(r.body()).getJsonObject("error").getString("code"), path);
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
    }
  }

  @Test
  void meReportsWhatTheClientFollows() throws Exception {
    try (TestNode custom = TestNode.start(Map.of("e2e.defaultEncrypted.private", true, "e2e.minKdfIterations", 700000,
        "e2e.allowDisable", true))) {
      var api = custom.api();
      var u = api.newUser("settings");
      JsonObject e2e = api.get("/api/v1/me", u.token()).json().getJsonObject("e2e");
      assertEquals(true, e2e.getJsonObject("defaultEncrypted").getBoolean("private"));
      assertEquals(false, e2e.getJsonObject("defaultEncrypted").getBoolean("direct"));
      assertEquals(700000, e2e.getInteger("minKdfIterations"));
      assertEquals(true, e2e.getBoolean("allowDisable"));
    }
  }
}
