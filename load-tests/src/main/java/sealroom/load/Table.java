package sealroom.load;

import io.vertx.core.json.JsonObject;

/** A Markdown table of results: column titles and the JSON field (a.b for nested) of each. */
record Table(String[] titles, String[] fields) {
  static final Table SELFTEST = new Table(
      new String[] {"label", "connections", "frame bytes", "frames per server write", "client loops", "frames/s", "loop CPU %", "frames per loop CPU s", "ns/frame", "process CPU %"},
      new String[] {"label", "subs", "frameBytes", "framesPerServerWrite", "loops", "framesPerSec", "toolLoopCpuPct", "framesPerLoopCpuSecond", "nsPerFrame", "processCpuPct"});

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
      s.append(' ').append(v == null ? "-" : v).append(" |");
    }
    return s.toString();
  }
}
