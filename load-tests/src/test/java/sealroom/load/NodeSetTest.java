package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a run's subscribers are spread over the nodes, and the local, remote and hop figures. */
class NodeSetTest {
  private static final List<String> URLS = List.of("http://127.0.0.1:18081", "http://127.0.0.1:18082", "http://127.0.0.1:18083");

  @Test
  void spreadsSubscribersRoundRobinWithThePublisherOnTheFirstNode() {
    NodeSet n = new NodeSet(URLS, new long[0], -1, 1000);
    assertEquals(3, n.size());
    assertEquals(0, n.of(0).index);
    assertEquals(1, n.of(1).index);
    assertEquals(2, n.of(5).index);
    assertEquals(334, n.node(0).subs);
    assertEquals(333, n.node(2).subs);
    assertEquals("127.0.0.1:18082", n.node(1).hostHeader);
    assertEquals(18083, n.node(2).address.getPort());
    assertEquals(n.node(0), n.publisher());
    assertFalse(n.pids());
  }

  @Test
  void hopIsRemoteMinusLocalAtEachPercentile() {
    NodeSet n = new NodeSet(URLS, new long[0], -1, 6);
    for (int i = 0; i < 100; i++) {
      n.node(0).recorder.recordValue(1_000);    // local: 1 ms
      n.node(1).recorder.recordValue(2_500);    // remote: 2.5 ms and 3.5 ms
      n.node(2).recorder.recordValue(3_500);
    }
    n.node(2).dupes.increment();
    JsonObject r = new JsonObject();
    n.putCluster(r, 1.0, new long[] {0, 4, 0}, new long[] {0, 2, 0});
    assertEquals(3, r.getInteger("nodes"));
    assertEquals(1.0, r.getJsonObject("localLatencyMs").getDouble("p50.0"), 0.01);
    assertEquals(2.5, r.getJsonObject("remoteLatencyMs").getDouble("p50.0"), 0.01);
    assertEquals(1.5, r.getDouble("hopP50Ms"), 0.01);
    assertEquals(2.5, r.getJsonObject("hopMs").getDouble("p99.0"), 0.01);
    assertEquals(200, r.getJsonObject("remoteLatencyMs").getLong("count"));
    JsonArray per = r.getJsonArray("perNode");
    assertEquals(4, per.getJsonObject(1).getLong("missing"));
    assertEquals(2, per.getJsonObject(1).getLong("missingAckedSeqs"));
    assertEquals(1, per.getJsonObject(2).getLong("duplicates"));
    assertEquals(3.5, per.getJsonObject(2).getJsonObject("latencyMs").getDouble("p50.0"), 0.01);
    assertNull(r.getJsonArray("nodeCpuPct").getValue(0), "no pid, no CPU");
    assertEquals(300, n.all().getTotalCount());
  }

  @Test
  void oneNodeHasNoRemoteSideAndNoHop() {
    NodeSet n = new NodeSet(URLS.subList(0, 1), new long[] {ProcessHandle.current().pid()}, -1, 10);
    n.node(0).recorder.recordValue(4_000);
    n.startCpu();
    JsonObject r = new JsonObject();
    n.putCluster(r, 1.0, new long[1], new long[1]);
    assertEquals(4.0, r.getJsonObject("localLatencyMs").getDouble("p50.0"), 0.01);
    assertFalse(r.containsKey("remoteLatencyMs"));
    assertFalse(r.containsKey("hopP50Ms"));
    assertEquals(1, r.getJsonArray("nodeCpuPct").size());
    assertEquals(Double.class, r.getJsonArray("nodeCpuPct").getValue(0).getClass(), "a known pid has a CPU figure");
    assertEquals(0.0, n.storeCpuSeconds(), "no store pid: nothing to count");
  }

  @Test
  void machineCpuCountsEveryCore() {
    double a = Proc.machineCpuSeconds();
    long spin = System.nanoTime() + 50_000_000;
    while (System.nanoTime() < spin) { Math.sqrt(spin); }
    assertTrue(a > 0 && Proc.machineCpuSeconds() >= a, "busy time only grows");
  }
}
