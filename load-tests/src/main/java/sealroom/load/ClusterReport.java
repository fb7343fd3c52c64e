package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns cluster runs (scenario "cluster": the JSON arrays the tool appends with --json, and the
 * failed-run records scripts/cluster.sh writes) into the fan-out comparison's table format: one
 * row per node count, one column per rate, and a table of every run with each node's CPU.
 *
 * <pre>java -cp sealroom-load.jar sealroom.load.ClusterReport RUNS.json [MORE.json ...] [--out PREFIX] [--merged FILE] [--note TEXT] [--command TEXT]</pre>
 *
 * Writes PREFIX.md (default: the first input without ".json", plus "-report"), prints it, and with
 * --merged writes every input run into one JSON array.
 */
public final class ClusterReport {
  /** The target: delivery through another node adds less than this to p50. */
  static final double HOP_TARGET_MS = 2;
  /** Other processes above this share of the machine (% of one core) during a run make it a disturbed run. */
  static final double OTHER_BUSY_PCT = 20;
  private static final String USAGE = "usage: java -cp sealroom-load.jar sealroom.load.ClusterReport RUNS.json [MORE.json ...] "
      + "[--out PREFIX] [--merged FILE] [--note TEXT] [--command TEXT]";

  private ClusterReport() { }

  /** A cluster run: the fan-out measures plus the local/remote split (null where not measured). */
  record Run(Report.Run run, int nodes, Double localP50, Double localP99, Double remoteP50, Double remoteP99, Double hopP50,
      List<Double> nodeCpu, Double storeCpu, Double otherCpu) {

    String name() { return run.name(); }

    int rate() { return run.rate(); }

    boolean failed() { return run.failed(); }
  }

  public static void main(String[] args) throws Exception {
    Report.Args a = Report.Args.parse(args, USAGE);
    JsonArray all = a.read();
    List<Run> runs = parse(all);
    if (runs.isEmpty()) Report.Args.usage("no cluster runs in the input", USAGE);
    String markdown = markdown(runs, a.command(), a.note(), a.mergedName());
    Path md = Path.of(a.out() + ".md");
    a.write(md, markdown);
    if (a.merged() != null) a.write(Path.of(a.merged()), all.encodePrettily() + "\n");
    System.out.println(markdown);
    System.out.println("report: " + md + (a.merged() != null ? ", runs: " + a.merged() : ""));
  }

  /** The latest run of each node count, subscribers, size and rate. */
  static List<Run> parse(JsonArray arr) {
    List<Report.Run> base = Report.latest(Report.parse(arr, "cluster", j -> Opts.nodesName(j.getInteger("nodes", 1))));
    List<Run> runs = new ArrayList<>();
    for (Report.Run r : base) {
      JsonObject j = arr.getJsonObject(r.order());
      List<Double> cpu = new ArrayList<>();
      for (Object v : j.getJsonArray("nodeCpuPct", new JsonArray())) cpu.add(v instanceof Number n ? n.doubleValue() : null);
      runs.add(new Run(r, j.getInteger("nodes", 1), pct(j, "localLatencyMs", "p50.0"), pct(j, "localLatencyMs", "p99.0"),
          pct(j, "remoteLatencyMs", "p50.0"), pct(j, "remoteLatencyMs", "p99.0"), num(j.getValue("hopP50Ms")), cpu,
          num(j.getValue("storeCpuPct")), num(j.getValue("otherCpuPct"))));
    }
    runs.sort(Comparator.comparingInt(Run::nodes).thenComparingInt(Run::rate));
    return runs;
  }

  static String markdown(List<Run> runs, String command, String note, String dataName) {
    StringBuilder b = Report.heading("Cluster fan-out", runs.stream().map(Run::run).toList(), command, note, dataName);
    b.append("One room, every subscriber gets every message, one publisher at a fixed rate. Subscribers are spread round robin over ")
        .append("the nodes; the publisher sends through the first node, so its subscribers are local and the others remote (each message ")
        .append("crosses the clustered event bus to reach them). Latency is send to receipt (warm-up excluded). The hop is remote p50 − local p50 ")
        .append("within one run; the target is under ").append(Report.ms(HOP_TARGET_MS)).append(" ms. CPU in % of one core; other: ")
        .append("the whole machine's busy time minus the tool's, the nodes' and the store's (other processes on a shared machine).\n\n");
    for (var e : byConfig(runs).entrySet()) {
      List<Run> cr = e.getValue();
      Report.Run any = cr.get(0).run();
      TreeSet<Integer> rates = new TreeSet<>();
      cr.forEach(r -> rates.add(r.rate()));
      List<String> order = cr.stream().map(Run::name).distinct().toList();
      b.append("## ").append(any.subs()).append(" subscribers, ").append(any.size()).append("-byte messages");
      if (any.duration() > 0) b.append(", ").append(any.duration()).append(" s measured after ").append(any.warmup()).append(" s warm-up");
      b.append("\n\nSummary: deliveries/s · p50/p99 ms (all subscribers) · p50 local/remote ms · hop (loss in bold).\n\n");
      Report.summary(b, "nodes", order, rates, any.subs(), (name, rate) -> {
        Run r = find(cr, name, rate);
        return r == null ? null : cell(r);
      });
      b.append('\n').append(verdict(cr)).append("\n\n### Every run\n\n")
          .append("| nodes | msg/s | deliveries/s | loss | p50 ms | p99 ms | local p50 ms | local p99 ms | remote p50 ms | remote p99 ms ")
          .append("| hop p50 ms | remote p50 − 1 node p50 ms | node CPU % | store CPU % | tool CPU % | other CPU % | server µs/delivery | notes |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Run r : cr) b.append(row(r, find(cr, Opts.nodesName(1), r.rate()))).append('\n');
      b.append('\n');
    }
    return b.toString();
  }

  private static java.util.Map<Report.Config, List<Run>> byConfig(List<Run> runs) {
    java.util.Map<Report.Config, List<Run>> m = new java.util.TreeMap<>();
    for (Run r : runs) m.computeIfAbsent(new Report.Config(r.run().subs(), r.run().size()), k -> new ArrayList<>()).add(r);
    return m;
  }

  private static Run find(List<Run> runs, String name, int rate) {
    return runs.stream().filter(r -> r.name().equals(name) && r.rate() == rate).findFirst().orElse(null);
  }

  /** "99,982 · 5.1/40.2 ms · 4.9/5.3 ms · hop +0.4 ms", with any loss in bold. */
  static String cell(Run r) {
    if (r.failed()) return "failed";
    Report.Run f = r.run();
    String s = Report.thousands(Math.round(f.deliveriesPerSec())) + " · " + Report.ms(f.p50()) + "/" + Report.ms(f.p99()) + " ms · "
        + opt(r.localP50()) + "/" + opt(r.remoteP50()) + " ms · hop " + (r.hopP50() == null ? "–" : signed(r.hopP50()) + " ms");
    return f.lossFree() ? s : s + " · **" + Report.loss(f) + "**";
  }

  static String row(Run r, Run oneNode) {
    Report.Run f = r.run();
    if (r.failed()) {
      return "| " + r.name() + " | " + r.rate() + " | – | – | – | – | – | – | – | – | – | – | – | – | – | – | – | failed: "
          + (f.reason() == null ? "no result" : f.reason().replace("|", "\\|").replace("\n", " ")) + " |";
    }
    List<String> notes = new ArrayList<>();
    if (r.hopP50() != null && r.hopP50() >= HOP_TARGET_MS) notes.add("hop ≥ " + Report.ms(HOP_TARGET_MS) + " ms");
    if (f.toolCpu() != null && f.toolCpu() >= Report.TOOL_BUSY_PCT) notes.add("tool CPU ≥ " + (int) Report.TOOL_BUSY_PCT + "%");
    if (r.nodeCpu().stream().anyMatch(c -> c != null && c >= 95)) notes.add("a node's core saturated");
    if (r.otherCpu() != null && r.otherCpu() >= OTHER_BUSY_PCT) notes.add("other processes busy: disturbed");
    Double vsOne = r.remoteP50() != null && oneNode != null && !oneNode.failed() ? r.remoteP50() - oneNode.run().p50() : null;
    return "| " + r.name() + " | " + r.rate() + " | " + Report.thousands(Math.round(f.deliveriesPerSec())) + " | " + (f.lossFree() ? "0" : Report.loss(f))
        + " | " + Report.ms(f.p50()) + " | " + Report.ms(f.p99()) + " | " + opt(r.localP50()) + " | " + opt(r.localP99())
        + " | " + opt(r.remoteP50()) + " | " + opt(r.remoteP99()) + " | " + (r.hopP50() == null ? "–" : signed(r.hopP50()))
        + " | " + (vsOne == null ? "–" : signed(vsOne)) + " | " + cpus(r.nodeCpu()) + " | " + Report.pct(r.storeCpu())
        + " | " + Report.pct(f.toolCpu()) + " | " + Report.pct(r.otherCpu()) + " | " + (f.serverUs() == null ? "–" : Report.us(f.serverUs())) + " | " + String.join("; ", notes) + " |";
  }

  /** Whether the multi-node runs met the hop target, naming those that did not. */
  static String verdict(List<Run> runs) {
    List<Run> multi = runs.stream().filter(r -> r.nodes() > 1 && !r.failed() && r.hopP50() != null).toList();
    if (multi.isEmpty()) return "Hop target: no multi-node run measured it.";
    List<String> over = multi.stream().filter(r -> r.hopP50() >= HOP_TARGET_MS)
        .map(r -> r.name() + " @ " + r.rate() + " msg/s (" + signed(r.hopP50()) + " ms)").toList();
    double worst = multi.stream().mapToDouble(Run::hopP50).max().orElse(0);
    return over.isEmpty()
        ? "Hop target (under " + Report.ms(HOP_TARGET_MS) + " ms at p50): met in every multi-node run (largest hop " + signed(worst) + " ms)."
        : "Hop target (under " + Report.ms(HOP_TARGET_MS) + " ms at p50): not met in " + over.size() + " of " + multi.size() + " multi-node runs: "
            + String.join(", ", over) + ".";
  }

  static String signed(double v) { return (v >= 0 ? "+" : "−") + Report.ms(Math.abs(v)); }

  private static String opt(Double v) { return v == null ? "–" : Report.ms(v); }

  private static String cpus(List<Double> cpu) {
    if (cpu.isEmpty()) return "–";
    List<String> s = new ArrayList<>();
    for (Double c : cpu) s.add(Report.pct(c));
    return String.join(" / ", s);
  }

  private static Double pct(JsonObject j, String obj, String key) {
    JsonObject o = j.getJsonObject(obj);
    return o == null ? null : num(o.getValue(key));
  }

  private static Double num(Object v) { return v instanceof Number n ? n.doubleValue() : null; }
}
