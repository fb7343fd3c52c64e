package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per address behind a reverse proxy: X-Forwarded-For names the client only when
 * the TCP peer is one of http.trustedProxies; from anyone else the header is ignored.
 */
class TrustedProxyIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static int register(TestNode node, String forwardedFor) throws Exception {
    String body = new JsonObject().put("username", "p" + UUID.randomUUID().toString().substring(0, 12))
        .put("password", "correct horse battery").encode();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/auth/register"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
    try (TestNode node = TestNode.start(Map.of("auth.registrationRate.perAddress", 3,
        "http.trustedProxies", List.of("127.0.0.1", "::1")))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(201, register(node, "198.51.100.1"));
      }
      assertEquals(429, register(node, "198.51.100.1"), "the forwarded client is over its limit");
      // a client cannot escape by prepending an address: the right-most untrusted entry counts
      assertEquals(429, register(node, "203.0.113.77, 198.51.100.1"));
      assertEquals(201, register(node, "198.51.100.2"), "another client behind the proxy is not");
    }
  }

  @Test
  void fromAnUntrustedPeerTheHeaderIsIgnored() throws Exception {
    try (TestNode node = TestNode.start(Map.of("auth.registrationRate.perAddress", 3))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(201, register(node, "198.51.100." + i));
      }
      assertEquals(429, register(node, "198.51.100.99"), "every request counts for the peer, whatever it forwards");
    }
  }
}
