package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file report: a phase's server figures from the /proc samples around it, and dd's figures. */
class FileReportTest {
  @Test
  void aPhaseTakesTheSamplesThatBracketIt() {
    List<FileReport.Sample> s = FileReport.samples(List.of(
        "1000000 100 204800 5000", // before the phase
        "1500000 110 307200 5010", // at its start: the bracket's first sample
        "2000000 160 409600 5100",
        "2500000 210 512000 5200", // the first at or after its end
        "3000000 211 512000 5210",
        "3000"));                  // a line cut short is skipped
    JsonObject p = new JsonObject().put("phase", "a-upload").put("bytes", 100L << 20).put("requests", 1)
        .put("startUs", 1500000L).put("endUs", 2400000L).put("toolCpuS", 0.2);
    JsonObject run = new JsonObject().put("phases", new JsonArray().add(p));
    FileReport.attribute(run, s, 100);
    assertEquals(1.0, p.getDouble("serverCpuS"));
    assertEquals(10.0, p.getDouble("serverCpuMsPerMiB"));
    assertEquals(100L, p.getLong("serverCpuPct"));
    assertEquals(3, p.getInteger("samples"));
    assertEquals(300L, p.getLong("rssBeforeMiB"));
    assertEquals(400L, p.getLong("rssMedianMiB"));
    assertEquals(500L, p.getLong("rssMaxMiB"));
    assertEquals(0.7, p.getDouble("otherCpuS"), 1e-9); // 1.9 s busy - 1.0 server - 0.2 tool
  }

  @Test
  void ddLinesAndTheMarkdown() {
    JsonObject d = FileReport.dd(List.of("write-direct 1073741824 2.0", "read-direct 1073741824 1.0"));
    assertEquals(512.0, d.getJsonObject("write-direct").getDouble("mibPerSec"));
    JsonObject p = new JsonObject().put("phase", "a-upload").put("bytes", 100L << 20).put("requests", 1).put("concurrency", 1)
        .put("seconds", 1.0).put("mibPerSec", 100.0).put("toolCpuS", 0.1).put("errors", 0)
        .put("latencyMs", new JsonObject().put("p50", 1000.0).put("p90", 1000.0).put("p99", 1000.0).put("max", 1000.0));
    JsonObject run = new JsonObject().put("phases", new JsonArray().add(p)).put("dd", d);
    JsonObject doc = new JsonObject().put("command", "scripts/files.sh").put("note", "").put("runs",
        new JsonArray().add(run).add(new JsonObject().put("failed", true).put("reason", "the node did not open port 1")));
    String md = FileReport.markdown(doc);
    assertTrue(md.contains("| a-upload (1 x 100 MiB) | 100.0 |"), md);
    assertTrue(md.contains("| a-upload MiB/s / dd write-direct MiB/s | 0.20 |"), md);
    assertTrue(md.contains("failed: the node did not open port 1"), md);
    assertTrue(md.contains("2 runs (1 failed)"), md);
  }

  @Test
  void medianWithRange() {
    List<JsonObject> xs = List.of(new JsonObject().put("v", 3.0), new JsonObject().put("v", 1.0), new JsonObject().put("v", 2.0), new JsonObject());
    assertEquals("2.0 [1.0-3.0]", FileReport.med(xs, x -> x.getDouble("v"), 1));
    assertEquals("-", FileReport.med(List.of(new JsonObject()), x -> x.getDouble("v"), 1));
  }
}
