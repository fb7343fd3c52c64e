package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.TestNode;
import io.sealroom.testing.WsClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics reports the node's own meters. Nodes are started per test: several nodes in one
 * process (as multi-node tests run them) must not share or break each other's metrics.
 */
class MetricsIT {

  /** The sealroom_connections sample of the node's /metrics, or an assertion error. */
  static double connections(TestNode node) {
    Api.Res r = node.api().get("/metrics", null);
    assertEquals(200, r.status(), "GET /metrics on port " + node.port());
    String line = r.raw().lines().filter(l -> l.startsWith("sealroom_connections ") || l.startsWith("sealroom_connections{"))
        .findFirst().orElseThrow(() -> new AssertionError("no sealroom_connections sample"));
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  static double awaitConnections(TestNode node, double expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    double v = connections(node);
    while (v != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      v = connections(node);
    }
    return v;
  }

  @Test
  void connectionsGaugeFollowsOpenSockets() throws Exception {
    try (TestNode node = TestNode.start()) {
      Api.User u = node.api().newUser("metrics");
      assertEquals(0.0, connections(node));
      try (WsClient a = WsClient.authed(node, u); WsClient b = WsClient.connect(node)) {
        assertEquals(2.0, awaitConnections(node, 2.0));
        a.close();
        assertEquals(1.0, awaitConnections(node, 1.0));
      }
      assertEquals(0.0, awaitConnections(node, 0.0));
    }
  }

  @Test
  void eachNodeInOneProcessReportsItsOwnConnections() throws Exception {
    try (TestNode a = TestNode.start(); TestNode b = TestNode.start()) {
      Api.User u = b.api().newUser("metrics");
      try (WsClient ws = WsClient.authed(b, u)) {
        assertEquals(1.0, awaitConnections(b, 1.0), "node b has the socket");
        assertEquals(0.0, connections(a), "node a has none");
      }
    }
  }

  @Test
  void metricsKeepWorkingWhenAnotherNodeInTheProcessStops() throws Exception {
    try (TestNode a = TestNode.start(Map.of())) {
      assertEquals(0.0, connections(a));
      TestNode.start(Map.of()).close();
      Api.Res r = a.api().get("/metrics", null);
      assertEquals(200, r.status(), "node a still serves its metrics");
      assertTrue(r.raw().contains("sealroom_connections"));
    }
  }
}
