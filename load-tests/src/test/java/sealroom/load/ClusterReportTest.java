package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster report: rows per node count, the local/remote cells, the hop verdict, failed runs. */
class ClusterReportTest {
  /** A cluster run as the tool records it (only the fields the report reads). */
  private static JsonObject run(int nodes, int rate, double p50, double local, Double remote, long missing, String date) {
    JsonObject j = new JsonObject().put("scenario", "cluster").put("target", "sealroom").put("label", Opts.nodesName(nodes) + " @ " + rate + " msg/s")
        .put("subs", 1000).put("rate", rate).put("size", 200).put("duration", 10).put("warmup", 10).put("nodes", nodes)
        .put("offeredMsgsPerSec", (double) rate).put("deliveriesPerSec", rate * 1000.0 - missing / 10.0)
        .put("expectedDeliveries", rate * 20_000L).put("missing", missing).put("duplicates", 0)
        .put("latencyMs", new JsonObject().put("p50.0", p50).put("p99.0", p50 * 8))
        .put("localLatencyMs", new JsonObject().put("p50.0", local).put("p99.0", local * 8))
        .put("serverUsPerDelivery", 4.2).put("toolCpuPct", 85.0).put("date", date);
    JsonArray cpu = new JsonArray();
    for (int i = 0; i < nodes; i++) cpu.add(60.0 + i);
    j.put("nodeCpuPct", cpu).put("storeCpuPct", 12.0).put("otherCpuPct", nodes == 3 ? 35.0 : 3.0);
    if (remote != null) {
      j.put("remoteLatencyMs", new JsonObject().put("p50.0", remote).put("p99.0", remote * 8)).put("hopP50Ms", Fanout.round(remote - local));
    }
    return j;
  }

  private static JsonArray runs() {
    return new JsonArray()
        .add(run(1, 100, 5.0, 5.0, null, 0, "2026-11-26T12:00:00Z"))
        .add(run(2, 100, 6.0, 5.5, 6.5, 0, "2026-11-26T12:01:00Z"))
        .add(run(3, 100, 8.0, 5.0, 9.5, 0, "2026-11-26T12:02:00Z"))
        .add(run(2, 100, 7.0, 6.0, 7.0, 0, "2026-11-26T11:00:00Z"))     // older: replaced by the run above
        .add(run(1, 300, 12.0, 12.0, null, 0, "2026-11-26T12:03:00Z"))
        .add(run(2, 300, 14.0, 13.0, 14.2, 3000, "2026-11-26T12:04:00Z"))
        .add(new JsonObject().put("scenario", "cluster").put("target", "sealroom").put("label", "3 nodes @ 300 msg/s").put("nodes", 3)
            .put("subs", 1000).put("rate", 300).put("size", 200).put("failed", true).put("reason", "node 3 did not join | size 2")
            .put("date", "2026-11-26T12:05:00Z"))
        .add(new JsonObject().put("scenario", "fanout").put("label", "sealroom @ 100 msg/s").put("rate", 100).put("deliveriesPerSec", 1.0));
  }

  @Test
  void keepsTheLatestClusterRunPerNodeCountAndRate() {
    List<ClusterReport.Run> runs = ClusterReport.parse(runs());
    assertEquals(6, runs.size(), "the fanout run is skipped, the older 2-node run replaced");
    assertEquals(List.of("1 node", "1 node", "2 nodes", "2 nodes", "3 nodes", "3 nodes"), runs.stream().map(ClusterReport.Run::name).toList());
    ClusterReport.Run two = runs.get(2);
    assertEquals(2, two.nodes());
    assertEquals(5.5, two.localP50());
    assertEquals(6.5, two.remoteP50());
    assertEquals(1.0, two.hopP50());
    assertEquals(List.of(60.0, 61.0), two.nodeCpu());
    assertTrue(runs.get(5).failed());
  }

  @Test
  void cellsShowLocalRemoteAndTheHop() {
    List<ClusterReport.Run> runs = ClusterReport.parse(runs());
    assertEquals("100,000 · 5.0/40.0 ms · 5.0/– ms · hop –", ClusterReport.cell(runs.get(0)));
    assertEquals("100,000 · 6.0/48.0 ms · 5.5/6.5 ms · hop +1.0 ms", ClusterReport.cell(runs.get(2)));
    assertEquals("299,700 · 14.0/112 ms · 13.0/14.2 ms · hop +1.2 ms · **0.05% missing (3,000)**", ClusterReport.cell(runs.get(3)));
    assertEquals("failed", ClusterReport.cell(runs.get(5)));
    assertEquals("−0.30", ClusterReport.signed(-0.3));
  }

  @Test
  void markdownHasOneRowPerNodeCountAndTheVerdict() {
    String md = ClusterReport.markdown(ClusterReport.parse(runs()), "RATES=\"100 300\" scripts/cluster.sh", "2 cores.", "x.json");
    assertTrue(md.startsWith("# Cluster fan-out\n\nCommand:\n\n```\nRATES=\"100 300\" scripts/cluster.sh\n```\n"), md);
    assertTrue(md.contains("| nodes | 100 msg/s (100,000 deliveries/s offered) | 300 msg/s (300,000 deliveries/s offered) |"), md);
    assertTrue(md.contains("| 3 nodes | 100,000 · 8.0/64.0 ms · 5.0/9.5 ms · hop +4.5 ms | failed |"), md);
    assertTrue(md.contains("not met in 1 of 3 multi-node runs: 3 nodes @ 100 msg/s (+4.5 ms)"), md);
    // remote p50 of the 3-node run against the 1-node run's p50 at 100 msg/s: 9.5 - 5.0
    String row = md.lines().filter(l -> l.startsWith("| 3 nodes | 100 |")).findFirst().orElseThrow();
    assertTrue(row.contains("| +4.5 | +4.5 | 60 / 61 / 62 | 12 | 85 | 35 | 4.20 | hop ≥ 2.0 ms; tool CPU ≥ 80%; other processes busy: disturbed |"), row);
    assertTrue(md.contains("failed: node 3 did not join \\| size 2"), md);
    assertTrue(md.contains("Raw data: [x.json](x.json)"), md);
  }

  @Test
  void verdictWhenEveryHopIsUnderTheTarget() {
    List<ClusterReport.Run> runs = ClusterReport.parse(new JsonArray().add(run(1, 100, 5, 5, null, 0, "a")).add(run(2, 100, 5, 5, 6.2, 0, "b")));
    assertEquals("Hop target (under 2.0 ms at p50): met in every multi-node run (largest hop +1.2 ms).", ClusterReport.verdict(runs));
    assertFalse(ClusterReport.verdict(runs.subList(0, 1)).contains("met in"));
  }
}
