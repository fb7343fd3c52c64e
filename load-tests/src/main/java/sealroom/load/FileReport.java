package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The report of scripts/files.sh: joins each run's {@link FileBench} result with the samples of
 * the server's /proc taken meanwhile ("epochUs cpuTicks rssKb machineBusyTicks" per line) and the
 * dd figures of the same directory ("name bytes seconds" per line), and writes PREFIX.md and
 * PREFIX.json.
 *
 * <p>A phase's server CPU is the difference between the last sample at or before its start and
 * the first at or after its end (the tool leaves an idle gap around each phase, so the slack is
 * idle time); its RSS figures are over those samples and the ones between.
 */
public final class FileReport {
  static final double MIB = 1024 * 1024;
  static final List<String> DD = List.of("write-direct", "write-fsync", "read-direct", "write-fsync-100m", "write-dsync-100x1m");
  static final Map<String, String> DD_CMD = Map.of(
      "write-direct", "dd if=/dev/zero of=F bs=1M count=N oflag=direct",
      "write-fsync", "dd if=/dev/zero of=F bs=1M count=N conv=fsync",
      "read-direct", "dd if=F of=/dev/null bs=1M iflag=direct",
      "write-fsync-100m", "dd if=/dev/zero of=F bs=1M count=100 conv=fsync",
      "write-dsync-100x1m", "dd if=/dev/zero of=F bs=1M count=100 oflag=dsync");

  private FileReport() { }

  /** One /proc sample of the server. */
  record Sample(long us, long ticks, long rssKb, long busyTicks) { }

  public static void main(String[] args) throws Exception {
    String out = null, command = "", note = "";
    int clk = 100;
    List<String[]> runs = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--out" -> out = args[i + 1];
        case "--clk-tck" -> clk = Integer.parseInt(args[i + 1]);
        case "--command" -> command = args[i + 1];
        case "--note" -> note = args[i + 1];
        case "--run" -> runs.add(args[i + 1].split(",", 4));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null || runs.isEmpty()) {
      System.err.println("usage: FileReport --out PREFIX --run RESULT.json,SAMPLES.txt,DD.txt[,SERVER-NOTES.txt] ... [--clk-tck 100] [--command TEXT] [--note TEXT]");
      System.exit(2);
    }
    JsonArray all = new JsonArray();
    for (String[] r : runs) {
      JsonObject run = new JsonObject(Files.readString(Path.of(r[0])));
      List<Sample> samples = Files.exists(Path.of(r[1])) ? samples(Files.readAllLines(Path.of(r[1]))) : List.of();
      if (!run.getBoolean("failed", false)) attribute(run, samples, clk);
      run.put("dd", dd(r.length > 2 && Files.exists(Path.of(r[2])) ? Files.readAllLines(Path.of(r[2])) : List.of()));
      if (r.length > 3 && Files.exists(Path.of(r[3]))) run.put("serverLog", new JsonArray(Files.readAllLines(Path.of(r[3]))));
      all.add(run);
    }
    JsonObject doc = new JsonObject().put("command", command).put("note", note).put("runs", all);
    Files.writeString(Path.of(out + ".json"), doc.encodePrettily() + "\n");
    Files.writeString(Path.of(out + ".md"), markdown(doc));
    System.out.println("report: " + out + ".md and " + out + ".json");
  }

  static List<Sample> samples(List<String> lines) {
    List<Sample> s = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.trim().split("\\s+");
      if (f.length < 4) continue;
      try {
        s.add(new Sample(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
      } catch (NumberFormatException ignored) { } // a line cut by the sampler's end
    }
    return s;
  }

  /** Adds each phase's server figures (serverCpuS, serverCpuMsPerMiB, serverCpuPct, rss*, otherCpuS). */
  static void attribute(JsonObject run, List<Sample> s, int clk) {
    for (Object o : run.getJsonArray("phases", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      long start = p.getLong("startUs"), end = p.getLong("endUs");
      int a = -1, b = -1;
      for (int i = 0; i < s.size(); i++) {
        if (s.get(i).us() <= start) a = i;
        if (s.get(i).us() >= end && b < 0) b = i;
      }
      if (a < 0 || b < 0) {
        p.put("serverNote", "no samples around the phase");
        continue;
      }
      double cpu = (s.get(b).ticks() - s.get(a).ticks()) / (double) clk;
      double busy = (s.get(b).busyTicks() - s.get(a).busyTicks()) / (double) clk;
      double wall = (s.get(b).us() - s.get(a).us()) / 1e6;
      long[] rss = s.subList(a, b + 1).stream().mapToLong(Sample::rssKb).sorted().toArray();
      double mib = p.getLong("bytes") / MIB;
      p.put("serverCpuS", round(cpu, 2)).put("serverCpuMsPerMiB", mib > 0 ? round(cpu * 1000 / mib, 2) : null)
          .put("serverCpuPct", Math.round(100 * cpu / wall)).put("sampledSeconds", round(wall, 2))
          .put("samples", rss.length).put("rssBeforeMiB", Math.round(s.get(a).rssKb() / 1024.0))
          .put("rssMaxMiB", Math.round(rss[rss.length - 1] / 1024.0)).put("rssMedianMiB", Math.round(median(rss) / 1024.0))
          .put("otherCpuS", round(busy - cpu - p.getDouble("toolCpuS", 0.0), 2));
    }
  }

  static JsonObject dd(List<String> lines) {
    JsonObject d = new JsonObject();
    for (String l : lines) {
      String[] f = l.trim().split("\\s+");
      if (f.length < 3) continue;
      long bytes = Long.parseLong(f[1]);
      double secs = Double.parseDouble(f[2]);
      d.put(f[0], new JsonObject().put("bytes", bytes).put("seconds", secs).put("mibPerSec", round(bytes / MIB / secs, 1)));
    }
    return d;
  }

  static String markdown(JsonObject doc) {
    List<JsonObject> runs = new ArrayList<>();
    for (Object o : doc.getJsonArray("runs")) runs.add((JsonObject) o);
    List<JsonObject> ok = runs.stream().filter(r -> !r.getBoolean("failed", false)).toList();
    StringBuilder m = new StringBuilder("# File upload and download throughput\n\n");
    if (!doc.getString("command").isEmpty()) m.append("```\n").append(doc.getString("command")).append("\n```\n\n");
    if (!doc.getString("note").isEmpty()) m.append(doc.getString("note")).append("\n\n");
    m.append(String.format(Locale.ROOT, "%d runs (%d failed). MiB/s = 1,048,576 bytes/s. Medians over the runs, [min-max] where it varies. ",
        runs.size(), runs.size() - ok.size()));
    m.append("Server CPU = utime+stime of the server process over the phase; RSS from VmRSS, sampled every 100-200 ms; ")
        .append("other CPU = the machine's busy time minus the server's and the tool's (other processes).\n\n");
    Map<String, List<JsonObject>> byPhase = new LinkedHashMap<>();
    for (JsonObject r : ok) {
      for (Object o : r.getJsonArray("phases")) byPhase.computeIfAbsent(((JsonObject) o).getString("phase"), k -> new ArrayList<>()).add((JsonObject) o);
    }
    m.append("## Summary\n\n| phase | MiB/s | server CPU ms/MiB | server CPU % of a core | server RSS max MiB | RSS median MiB | latency p50 / p90 / p99 / max ms | tool CPU s | other CPU s | errors |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (var e : byPhase.entrySet()) {
      List<JsonObject> ps = e.getValue();
      JsonObject first = ps.get(0);
      String lat = first.getInteger("requests") > 1 ? String.join(" / ", List.of("p50", "p90", "p99", "max").stream()
          .map(k -> med(ps, p -> p.getJsonObject("latencyMs").getDouble(k), 0)).toList()) : med(ps, p -> p.getJsonObject("latencyMs").getDouble("max"), 0);
      m.append("| ").append(name(first)).append(" | ").append(med(ps, p -> p.getDouble("mibPerSec"), 1))
          .append(" | ").append(med(ps, p -> p.getDouble("serverCpuMsPerMiB"), 1))
          .append(" | ").append(med(ps, p -> p.getDouble("serverCpuPct"), 0))
          .append(" | ").append(med(ps, p -> p.getDouble("rssMaxMiB"), 0))
          .append(" | ").append(med(ps, p -> p.getDouble("rssMedianMiB"), 0))
          .append(" | ").append(lat)
          .append(" | ").append(med(ps, p -> p.getDouble("toolCpuS"), 2))
          .append(" | ").append(med(ps, p -> p.getDouble("otherCpuS"), 2))
          .append(" | ").append(ps.stream().mapToLong(p -> p.getLong("errors")).sum()).append(" |\n");
    }
    Map<String, List<JsonObject>> cold = new LinkedHashMap<>();
    for (JsonObject r : ok) {
      for (Object o : r.getJsonArray("warmup", new JsonArray())) {
        JsonObject p = (JsonObject) o;
        if (p.getString("phase").startsWith("warmup1-")) cold.computeIfAbsent(p.getString("phase").substring(8), k -> new ArrayList<>()).add(p);
      }
    }
    if (!cold.isEmpty()) {
      m.append("\nThe first (warm-up) pass on each fresh node, not counted above, for comparison: ");
      m.append(String.join("; ", cold.entrySet().stream().map(e -> e.getKey() + " " + med(e.getValue(), p -> p.getDouble("mibPerSec"), 1) + " MiB/s").toList()));
      m.append(".\n");
    }
    m.append("\n## The disk, same directory (dd, ").append(ddSize(ok)).append(")\n\n")
        .append("The last two are the node's own patterns: mode a's 100 MiB written then fsynced once, ")
        .append("and mode b's 100 x 1 MiB each synced (one after the other here).\n\n| test | command | MiB/s |\n|---|---|---|\n");
    for (String t : DD) {
      m.append("| ").append(t).append(" | `").append(DD_CMD.get(t)).append("` | ")
          .append(med(ok, r -> ddRate(r, t), 1)).append(" |\n");
    }
    m.append("\n| ratio (per run, then the median) | value |\n|---|---|\n");
    for (String ph : List.of("a-upload", "b-upload")) {
      for (String t : List.of("write-direct", "write-fsync", ph.startsWith("a") ? "write-fsync-100m" : "write-dsync-100x1m")) {
        m.append("| ").append(ph).append(" MiB/s / dd ").append(t).append(" MiB/s | ")
            .append(med(ok, r -> ratio(r, ph, t), 2)).append(" |\n");
      }
    }
    for (String ph : List.of("a-download", "b-download")) {
      m.append("| ").append(ph).append(" MiB/s / dd read-direct MiB/s | ").append(med(ok, r -> ratio(r, ph, "read-direct"), 2)).append(" |\n");
    }
    m.append("\n## Every run\n\n| run | phase | bytes | seconds | MiB/s | server CPU s | ms/MiB | CPU % | RSS before / median / max MiB | samples | latency p50 / p90 / p99 / max ms | answer after last byte p50 / max ms | tool CPU s | other CPU s | errors |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < runs.size(); i++) {
      JsonObject r = runs.get(i);
      if (r.getBoolean("failed", false)) {
        m.append("| ").append(i + 1).append(" | failed: ").append(r.getString("reason", "?")).append(" |||||||||||||\n");
        continue;
      }
      for (Object o : r.getJsonArray("phases")) {
        JsonObject p = (JsonObject) o;
        JsonObject l = p.getJsonObject("latencyMs");
        JsonObject t = p.getJsonObject("answerAfterLastByteMs");
        m.append("| ").append(i + 1).append(" | ").append(p.getString("phase")).append(" | ").append(p.getLong("bytes"))
            .append(" | ").append(p.getValue("seconds")).append(" | ").append(p.getValue("mibPerSec"))
            .append(" | ").append(p.getValue("serverCpuS", "-")).append(" | ").append(p.getValue("serverCpuMsPerMiB", "-"))
            .append(" | ").append(p.getValue("serverCpuPct", "-"))
            .append(" | ").append(p.getValue("rssBeforeMiB", "-")).append(" / ").append(p.getValue("rssMedianMiB", "-"))
            .append(" / ").append(p.getValue("rssMaxMiB", "-")).append(" | ").append(p.getValue("samples", "-"))
            .append(" | ").append(l.getValue("p50")).append(" / ").append(l.getValue("p90")).append(" / ")
            .append(l.getValue("p99")).append(" / ").append(l.getValue("max"))
            .append(" | ").append(t == null ? "-" : t.getValue("p50") + " / " + t.getValue("max"))
            .append(" | ").append(p.getValue("toolCpuS")).append(" | ").append(p.getValue("otherCpuS", "-"))
            .append(" | ").append(p.getValue("errors")).append(p.getInteger("errors") > 0 ? " " + p.getJsonArray("errorSamples").encode() : "")
            .append(" |\n");
      }
      JsonObject d = r.getJsonObject("dd");
      m.append("| ").append(i + 1).append(" | dd | ").append(String.join(", ", DD.stream().filter(d::containsKey)
          .map(t -> t + " " + d.getJsonObject(t).getValue("mibPerSec") + " MiB/s (" + d.getJsonObject(t).getValue("seconds") + " s)").toList()))
          .append(" |||||||||||||\n");
    }
    List<String> logs = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      JsonArray l = runs.get(i).getJsonArray("serverLog");
      if (l != null) for (Object o : l) logs.add("run " + (i + 1) + ": " + o);
    }
    if (!logs.isEmpty()) {
      m.append("\n## What the server logged\n\n```\n").append(String.join("\n", logs)).append("\n```\n");
    }
    return m.toString();
  }

  private static String name(JsonObject p) {
    long size = p.getLong("bytes") / Math.max(1, p.getInteger("requests"));
    String what = p.getInteger("requests") + " x " + fmtSize(size);
    return p.getString("phase") + " (" + what + (p.getInteger("concurrency") > 1 ? ", " + p.getInteger("concurrency") + " at once" : "") + ")";
  }

  private static String fmtSize(long b) {
    return b % (1L << 20) == 0 ? (b >> 20) + " MiB" : b + " B";
  }

  private static String ddSize(List<JsonObject> runs) {
    for (JsonObject r : runs) {
      JsonObject d = r.getJsonObject("dd");
      if (d != null && d.containsKey("write-direct")) return "N = " + fmtSize(d.getJsonObject("write-direct").getLong("bytes")) + " for the first three tests, after each run";
    }
    return "not run";
  }

  private static Double ddRate(JsonObject r, String test) {
    JsonObject d = r.getJsonObject("dd");
    return d == null || !d.containsKey(test) ? null : d.getJsonObject(test).getDouble("mibPerSec");
  }

  private static Double ratio(JsonObject r, String phase, String test) {
    Double dd = ddRate(r, test);
    for (Object o : r.getJsonArray("phases")) {
      JsonObject p = (JsonObject) o;
      if (p.getString("phase").equals(phase) && dd != null && dd > 0) return p.getDouble("mibPerSec") / dd;
    }
    return null;
  }

  /** "median [min-max]" of the values present, or "-". */
  static String med(List<JsonObject> xs, Function<JsonObject, Double> f, int digits) {
    double[] v = xs.stream().map(x -> {
      try {
        return f.apply(x);
      } catch (RuntimeException e) {
        return null;
      }
    }).filter(x -> x != null).mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) return "-";
    String fmt = "%." + digits + "f";
    String med = String.format(Locale.ROOT, fmt, median(v));
    if (v.length == 1 || v[0] == v[v.length - 1]) return med;
    return med + " [" + String.format(Locale.ROOT, fmt, v[0]) + "-" + String.format(Locale.ROOT, fmt, v[v.length - 1]) + "]";
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double median(long[] sorted) {
    return median(Arrays.stream(sorted).asDoubleStream().toArray());
  }

  static double round(double v, int digits) {
    return FileBench.round(v, digits);
  }
}
