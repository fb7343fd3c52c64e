package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node serves the browser client at / with a same-origin-only CSP, revalidated on every load. */
class WebClientIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

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
