package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Markdown table of results: column titles and the JSON field (a.b for nested) of each. A
 * missing field shows as "-", an array as its items joined by " / " (a value per node).
 */
record Table(String[] titles, String[] fields) {
  static final Table SELFTEST = new Table(
      new String[] {"label", "connections", "frame bytes", "frames per server write", "client loops", "frames/s", "loop CPU %", "frames per loop CPU s", "ns/frame", "process CPU %"},
      new String[] {"label", "subs", "frameBytes", "framesPerServerWrite", "loops", "framesPerSec", "toolLoopCpuPct", "framesPerLoopCpuSecond", "nsPerFrame", "processCpuPct"});

  /** One row per cluster run: all subscribers, then those on the publisher's node and on the others, and each node's CPU. */
  static final Table CLUSTER = new Table(
      new String[] {"label", "nodes", "subs", "msg/s offered", "deliveries/s", "missing", "dup", "p50 ms", "p99 ms",
          "local p50 ms", "local p99 ms", "remote p50 ms", "remote p99 ms", "hop p50 ms", "node CPU %", "store CPU %",
          "server us/delivery", "tool CPU %"},
      new String[] {"label", "nodes", "subs", "offeredMsgsPerSec", "deliveriesPerSec", "missing", "duplicates", "latencyMs.p50.0", "latencyMs.p99.0",
          "localLatencyMs.p50.0", "localLatencyMs.p99.0", "remoteLatencyMs.p50.0", "remoteLatencyMs.p99.0", "hopP50Ms", "nodeCpuPct", "storeCpuPct",
          "serverUsPerDelivery", "toolCpuPct"});

  String head() {
    StringBuilder s = new StringBuilder("|");
    for (String t : titles) s.append(' ').append(t).append(" |");
    s.append("\n|");
    for (int i = 0; i < titles.length; i++) s.append("---|");
    return s.append('\n').toString();
  }

  String row(JsonObject r) {
    StringBuilder s = new StringBuilder("|");
    for (String f : fields) {
      Object v = r;
      for (String part : f.split("\\.", 2)) v = v instanceof JsonObject j ? j.getValue(part) : null;
      s.append(' ').append(cell(v)).append(" |");
    }
    return s.toString();
  }

  private static String cell(Object v) {
    if (v == null) return "-";
    if (!(v instanceof JsonArray a)) return v.toString();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < a.size(); i++) s.append(i == 0 ? "" : " / ").append(cell(a.getValue(i)));
    return s.toString();
  }
}
