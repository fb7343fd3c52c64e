package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's reading, reference choice, ratios and output, on the first real run plus made-up peer runs. */
class ReportTest {

  /** The 2026-11-26 run (Sealroom and the vertx peer at 10/100/300 msg/s), as the tool wrote it. */
  private static JsonArray fixture() throws Exception {
    return new JsonArray(Files.readString(Path.of("src/test/resources/fanout-2026-11-26.json")));
  }

  /** A peer run the way an older tool or another client might record it: label only, no target or rate fields. */
  private static JsonObject peer(String name, int rate, double deliveries, long missing, double p50, double p99) {
    long expected = rate * 12L * 1000;
    return new JsonObject().put("label", name + " @ " + rate + " msg/s").put("subs", 1000).put("size", 200)
        .put("offeredMsgsPerSec", (double) rate).put("deliveriesPerSec", deliveries).put("expectedDeliveries", expected)
        .put("missing", missing).put("duplicates", 0)
        .put("latencyMs", new JsonObject().put("p50.0", p50).put("p90.0", p99 * 0.8).put("p99.0", p99).put("p99.9", p99 * 1.2))
        .put("serverUsPerDelivery", 3.3).put("serverCpuPct", 99.0).put("toolCpuPct", 50.0).put("date", "2026-11-26T10:00:00Z");
  }

  private static List<Report.Run> runs() throws Exception {
    JsonArray a = fixture();
    a.add(peer("nats", 100, 100_000, 0, 21, 55));
    a.add(peer("uws", 100, 100_048, 0, 19, 95));
    a.add(peer("centrifuge", 100, 99_000, 0, 19, 39));   // within 2% of the top and the lowest p99: the best peer
    a.add(peer("nats", 300, 301_000, 0, 35, 90));
    a.add(peer("uws", 300, 300_500, 0, 18, 38));         // within 2% and lower p99 than nats
    a.add(peer("centrifuge", 300, 277_000, 0, 972, 1501));
    a.add(peer("uws", 1000, 146_000, 1_000_000, 500, 5000)); // lost messages: hollow marker, never the best while a clean peer ran
    a.add(peer("nats", 1000, 972_000, 0, 254, 875));
    a.add(peer("raw", 100, 100_000, 0, 2, 10));
    a.add(new JsonObject().put("scenario", "fanout").put("target", "raw").put("label", "raw @ 300 msg/s").put("subs", 1000)
        .put("rate", 300).put("size", 200).put("failed", true).put("reason", "server did not open port 9010").put("date", "2026-11-26T10:01:00Z"));
    return Report.latest(Report.parse(a));
  }

  private static Report.Run find(List<Report.Run> runs, String name, int rate) {
    return runs.stream().filter(r -> r.name().equals(name) && r.rate() == rate).findFirst().orElseThrow();
  }

  @Test
  void readsFieldsAndFallsBackToTheLabel() throws Exception {
    List<Report.Run> runs = runs();
    Report.Run s = find(runs, "sealroom", 100);
    assertEquals("sealroom", s.kind());
    assertEquals(1000, s.subs());
    assertEquals(78189.39, s.deliveriesPerSec(), 1e-9);
    assertEquals(5947.39, s.p99(), 1e-9);
    assertTrue(s.lossFree());
    Report.Run n = find(runs, "nats", 300);          // no target or rate field: both from the label
    assertEquals("nats", n.kind());
    assertEquals(300, n.rate());
    assertTrue(n.isPeer());
    assertTrue(find(runs, "vertx", 10).isPeer());
    assertTrue(find(runs, "raw", 300).failed());
    assertFalse(find(runs, "uws", 1000).lossFree());
    assertNull(Report.parse(new JsonObject().put("label", "no rate here"), 0));
    assertEquals(0, Report.parse(new JsonArray().add(peer("nats", 10, 10_000, 0, 1, 2).put("scenario", "rooms"))).size());
  }

  @Test
  void keepsTheLatestRunOfEachConfiguration() throws Exception {
    JsonArray a = fixture();
    JsonObject again = a.getJsonObject(0).copy().put("deliveriesPerSec", 1.0).put("date", "2026-11-27T00:00:00Z");
    JsonObject older = a.getJsonObject(1).copy().put("deliveriesPerSec", 2.0).put("date", "2026-11-25T00:00:00Z");
    a.add(again).add(older);
    List<Report.Run> runs = Report.latest(Report.parse(a));
    assertEquals(6, runs.size());
    assertEquals(1.0, find(runs, "sealroom", 10).deliveriesPerSec());
    assertEquals(78189.39, find(runs, "sealroom", 100).deliveriesPerSec());
  }

  @Test
  void picksTheBestPeerAndTheRawLimit() throws Exception {
    List<Report.Run> runs = runs();
    assertEquals("vertx", Report.bestPeer(at(runs, 10)).name());      // the only peer at 10 msg/s
    assertEquals("centrifuge", Report.bestPeer(at(runs, 100)).name()); // 99.0k is within 2% of 100.0k and its p99 is lowest
    assertEquals("uws", Report.bestPeer(at(runs, 300)).name());
    assertEquals("nats", Report.bestPeer(at(runs, 1000)).name());     // uws lost messages
    assertEquals("raw", Report.raw(at(runs, 100)).name());
    assertNull(Report.raw(at(runs, 300)));                            // the raw run failed
    assertNull(Report.raw(at(runs, 10)));
  }

  @Test
  void lossyPeersCountOnlyWhenNoPeerIsClean() {
    JsonArray a = new JsonArray().add(peer("uws", 1000, 146_000, 1_000_000, 500, 5000)).add(peer("centrifuge", 1000, 293_000, 900_000, 900, 6000));
    assertEquals("centrifuge", Report.bestPeer(Report.parse(a)).name());
  }

  @Test
  void writesRatiosAndMarksFailures() throws Exception {
    List<Report.Run> runs = runs();
    String md = Report.markdown(runs, "2 cores.", "x.svg", "x.json");
    // Sealroom at 100 msg/s against centrifuge (99,000/s, p99 39 ms) and raw (100,000/s, p99 10 ms).
    String row = md.lines().filter(l -> l.startsWith("| sealroom | 78,189 |")).findFirst().orElseThrow();
    assertTrue(row.contains("| 0.79× | 152× | 0.78× | 595× |"), row);
    assertTrue(md.contains("| centrifuge (best peer) |"), md);
    assertTrue(md.contains("failed: server did not open port 9010"), md);
    assertTrue(md.contains("**8.3% missing (1,000,000)**"), md);
    assertTrue(md.contains("![latency against offered load](x.svg)"));
    assertTrue(md.contains("tool CPU ≥ 80%"), "the vertx run at 300 msg/s had 98.8% tool CPU");
    assertEquals("0.79×", Report.ratio(78189.39, 99_000));
    assertEquals("12.0×", Report.ratio(12, 1));
    assertEquals("–", Report.ratio(1, 0));
  }

  @Test
  void plotIsWellFormedWithOneLinePairPerServer() throws Exception {
    List<Report.Run> runs = runs();
    String svg = ReportPlot.svg(runs);
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", d.getDocumentElement().getNodeName());
    // sealroom, vertx, nats, uws, centrifuge have 2+ points with latency: p99 and p50 each; raw has one point, no line.
    assertEquals(10, d.getElementsByTagName("polyline").getLength());
    assertTrue(svg.contains("fill=\"white\" stroke=\"#2ca02c\""), "uws at 1000 msg/s lost messages: hollow marker");
    assertTrue(svg.contains("raw @ 300 msg/s: failed"), "the failed run is marked on the axis");
    assertTrue(svg.contains("stroke-dasharray=\"6 4\""));
    List<String> legend = new ArrayList<>();
    for (String name : List.of("sealroom", "raw", "vertx", "nats", "uws", "centrifuge")) if (svg.contains(">" + name + "</text>")) legend.add(name);
    assertEquals(6, legend.size(), svg);
  }

  @Test
  void everySeriesGetsItsOwnColour() {
    List<String> names = List.of("sealroom", "sealroom-mem", "raw", "nats", "uws", "centrifuge", "vertx", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    assertEquals(names.size(), new java.util.HashSet<>(ReportPlot.colors(names).values()).size());
    assertEquals("#d62728", ReportPlot.colors(List.of("x", "sealroom")).get("sealroom"));
  }

  @Test
  void argumentsNameTheOutputsAndKeepTheCommand() {
    Report.Args a = Report.Args.parse(new String[] {"runs/x.json", "more.json", "--command", "RATES=100 scripts/cluster.sh", "--merged", "out/all.json"}, "usage");
    assertEquals(List.of(Path.of("runs/x.json"), Path.of("more.json")), a.in());
    assertEquals("runs/x-report", a.out());
    assertEquals("RATES=100 scripts/cluster.sh", a.command());
    assertEquals("all.json", a.mergedName());
    assertNull(a.note());
  }

  private static List<Report.Run> at(List<Report.Run> runs, int rate) {
    return runs.stream().filter(r -> r.rate() == rate).toList();
  }
}
