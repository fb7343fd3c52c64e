package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tool's one-line Markdown rows. */
class TableTest {
  @Test
  void nestedFieldsMissingFieldsAndArrays() {
    Table t = new Table(new String[] {"a", "p50", "cpu", "none"}, new String[] {"a", "latencyMs.p50.0", "cpu", "none"});
    JsonObject r = new JsonObject().put("a", "x").put("latencyMs", new JsonObject().put("p50.0", 1.5))
        .put("cpu", new JsonArray().add(45.5).addNull().add(38.0));
    assertEquals("| a | p50 | cpu | none |\n|---|---|---|---|\n", t.head());
    assertEquals("| x | 1.5 | 45.5 / - / 38.0 | - |", t.row(r));
  }

  @Test
  void clusterRowHasOneCellPerTitle() {
    String row = Table.CLUSTER.row(new JsonObject().put("label", "2 nodes @ 100 msg/s").put("nodeCpuPct", new JsonArray().add(50).add(40)));
    assertEquals(Table.CLUSTER.titles().length + 1, row.split("\\|", -1).length - 1);
    assertTrue(row.contains("| 50 / 40 |"), row);
  }
}
