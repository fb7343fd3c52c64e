package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns fan-out runs (the JSON arrays the tool appends with --json, and the failed-run records
 * scripts/compare.sh writes) into one Markdown comparison, a table per offered rate with ratios to
 * the best peer and to the raw Vert.x limit, and an SVG plot of latency against offered load.
 *
 * <pre>java -cp sealroom-load.jar sealroom.load.Report RUNS.json [MORE.json ...] [--out PREFIX] [--merged FILE] [--note TEXT]</pre>
 *
 * Writes PREFIX.md and PREFIX.svg (default: the first input without ".json", plus "-report"),
 * prints the Markdown, and with --merged writes every input run into one JSON array.
 */
public final class Report {
  /** The peers a run is compared with: the best of them at each rate is the reference. */
  static final Set<String> PEERS = Set.of("nats", "uws", "centrifuge", "vertx");
  static final String RAW = "raw";
  /** Peers within this fraction of the highest deliveries/s count as equal; the lower p99 wins among them. */
  static final double SAME_THROUGHPUT = 0.02;
  /** Above this, the tool's own core is busy enough to shape the numbers. */
  static final double TOOL_BUSY_PCT = 80;
  private static final Pattern LABEL = Pattern.compile("^\\s*(\\S+)\\s*@\\s*(\\d+)\\s*msg/s\\s*$");

  private Report() { }

  /**
   * One run as the report sees it. {@code name} is the series (the label's "NAME @ R msg/s" part,
   * else the target), {@code kind} what was measured (the target field, else the name).
   */
  record Run(String name, String kind, int rate, int subs, int size, int duration, int warmup, String label,
      boolean failed, String reason, double offered, double deliveriesPerSec, long expected, long missing,
      long duplicates, double p50, double p99, double p999, Double serverUs, Double serverCpu, Double toolCpu,
      String date, int order) {

    boolean lossFree() { return !failed && missing == 0 && duplicates == 0; }

    boolean hasLatency() { return !failed && p99 > 0; }

    boolean isPeer() { return PEERS.contains(kind); }

    boolean isRaw() { return RAW.equals(kind); }

    /** Runs with the same configuration: the report keeps the latest of each. */
    String key() { return name + "|" + subs + "|" + size + "|" + rate; }
  }

  /** Runs with the same subscribers and message size: one summary and one plot. */
  record Config(int subs, int size) implements Comparable<Config> {
    public int compareTo(Config o) { return subs != o.subs ? Integer.compare(subs, o.subs) : Integer.compare(size, o.size); }
  }

  private static final String USAGE = "usage: java -cp sealroom-load.jar sealroom.load.Report RUNS.json [MORE.json ...] [--out PREFIX] [--merged FILE] [--note TEXT] [--command TEXT]";

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args, USAGE);
    JsonArray all = a.read();
    List<Run> runs = latest(parse(all));
    if (runs.isEmpty()) Args.usage("no runs in the input", USAGE);
    Path md = Path.of(a.out() + ".md"), svg = Path.of(a.out() + ".svg");
    String markdown = markdown(runs, a.command(), a.note(), svg.getFileName().toString(), a.mergedName());
    a.write(md, markdown);
    a.write(svg, ReportPlot.svg(runs));
    if (a.merged() != null) a.write(Path.of(a.merged()), all.encodePrettily() + "\n");
    System.out.println(markdown);
    System.out.println("report: " + md + " and " + svg + (a.merged() != null ? ", runs: " + a.merged() : ""));
  }

  /** The command line of a report: input files of runs, --out PREFIX, --merged FILE, --note TEXT, --command TEXT. */
  record Args(List<Path> in, String out, String merged, String note, String command) {
    static Args parse(String[] args, String usage) {
      List<Path> in = new ArrayList<>();
      Map<String, String> opt = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (Set.of("--out", "--merged", "--note", "--command").contains(a)) {
          if (i + 1 >= args.length) usage(a + " needs a value", usage);
          opt.put(a, args[++i]);
        } else if (a.startsWith("--")) {
          usage("unknown option: " + a, usage);
        } else {
          in.add(Path.of(a));
        }
      }
      if (in.isEmpty()) usage("no input file", usage);
      String out = opt.get("--out");
      if (out == null) {
        String first = in.get(0).toString();
        out = (first.endsWith(".json") ? first.substring(0, first.length() - 5) : first) + "-report";
      }
      return new Args(in, out, opt.get("--merged"), opt.get("--note"), opt.get("--command"));
    }

    /** Every run of every input: a file holds a JSON array of runs or one run object. */
    JsonArray read() throws java.io.IOException {
      JsonArray all = new JsonArray();
      for (Path p : in) {
        String text = Files.readString(p).trim();
        if (text.isEmpty()) continue;
        if (text.startsWith("{")) all.add(new JsonObject(text)); else all.addAll(new JsonArray(text));
      }
      return all;
    }

    String mergedName() { return merged == null ? null : Path.of(merged).getFileName().toString(); }

    void write(Path p, String text) throws java.io.IOException {
      if (p.getParent() != null) Files.createDirectories(p.getParent());
      Files.writeString(p, text);
    }

    static void usage(String why, String usage) {
      System.err.println(why);
      System.err.println(usage);
      System.exit(2);
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  static List<Run> parse(JsonArray arr) { return parse(arr, "fanout", j -> null); }

  /**
   * The runs of one scenario (a run without a scenario field counts as fanout); name gives a
   * run's series name, or null to take it from the label or the target.
   */
  static List<Run> parse(JsonArray arr, String scenario, java.util.function.Function<JsonObject, String> name) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      Object o = arr.getValue(i);
      if (!(o instanceof JsonObject j)) continue;
      if (!scenario.equals(j.getString("scenario", "fanout"))) continue; // other scenarios have other measures
      Run r = parse(j, i, name.apply(j));
      if (r != null) runs.add(r);
      else System.err.println("report: skipped run " + i + " (no target or rate): " + j.encode());
    }
    return runs;
  }

  /** One run object, or null when neither its fields nor its label say what and at which rate it ran. */
  static Run parse(JsonObject j, int order) { return parse(j, order, null); }

  /** The same, with the series name given (when not null). */
  static Run parse(JsonObject j, int order, String series) {
    String label = j.getString("label", "");
    Matcher m = LABEL.matcher(label);
    boolean labelled = m.matches();
    String target = j.getString("target");
    String name = series != null ? series : labelled ? m.group(1) : target;
    String kind = target != null ? target : name;
    Integer rate = integer(j.getValue("rate"));
    if (rate == null && labelled) rate = Integer.parseInt(m.group(2));
    if (rate == null && j.getValue("offeredMsgsPerSec") instanceof Number n) rate = (int) Math.round(n.doubleValue());
    if (name == null || rate == null) return null;
    JsonObject l = j.getJsonObject("latencyMs", new JsonObject());
    boolean failed = j.getBoolean("failed", false) || !j.containsKey("deliveriesPerSec");
    String reason = j.getString("reason", failed && !j.getBoolean("failed", false) ? "no result in the run record" : null);
    return new Run(name, kind, rate, intOr(j.getValue("subs"), 0), intOr(j.getValue("size"), 0),
        intOr(j.getValue("duration"), 0), intOr(j.getValue("warmup"), 0), label.isEmpty() ? name + " @ " + rate + " msg/s" : label,
        failed, reason, dbl(j.getValue("offeredMsgsPerSec"), rate), dbl(j.getValue("deliveriesPerSec"), 0),
        (long) dbl(j.getValue("expectedDeliveries"), 0), (long) dbl(j.getValue("missing"), 0), (long) dbl(j.getValue("duplicates"), 0),
        dbl(l.getValue("p50.0"), 0), dbl(l.getValue("p99.0"), 0), dbl(l.getValue("p99.9"), 0),
        num(j.getValue("serverUsPerDelivery")), num(j.getValue("serverCpuPct")), num(j.getValue("toolCpuPct")),
        j.getString("date", ""), order);
  }

  /** Keeps the latest run of each name, subscribers, size and rate (by its date, then by input order). */
  static List<Run> latest(List<Run> runs) {
    Map<String, Run> byKey = new LinkedHashMap<>();
    for (Run r : runs) {
      Run old = byKey.get(r.key());
      if (old == null || old.date().isEmpty() || r.date().isEmpty() || r.date().compareTo(old.date()) >= 0) byKey.put(r.key(), r);
    }
    return new ArrayList<>(byKey.values());
  }

  // ---- comparing -------------------------------------------------------------------------------

  /**
   * The reference peer among runs at one rate: the highest deliveries/s among peers without loss
   * (peers within 2% of it count as equal, and the lowest p99 among those wins). When every peer
   * lost messages, the same rule over the peers that ran. Null when no peer ran.
   */
  static Run bestPeer(List<Run> atRate) {
    List<Run> peers = atRate.stream().filter(r -> r.isPeer() && !r.failed()).toList();
    List<Run> clean = peers.stream().filter(Run::lossFree).toList();
    return best(clean.isEmpty() ? peers : clean);
  }

  /** The raw limit at one rate: the run of target raw (the best of them if there are several). */
  static Run raw(List<Run> atRate) {
    List<Run> raws = atRate.stream().filter(r -> r.isRaw() && !r.failed()).toList();
    List<Run> clean = raws.stream().filter(Run::lossFree).toList();
    return best(clean.isEmpty() ? raws : clean);
  }

  private static Run best(List<Run> c) {
    double top = c.stream().mapToDouble(Run::deliveriesPerSec).max().orElse(0);
    return c.stream().filter(r -> r.deliveriesPerSec() >= top * (1 - SAME_THROUGHPUT))
        .min(Comparator.comparingDouble((Run r) -> r.p99() > 0 ? r.p99() : Double.MAX_VALUE)).orElse(null);
  }

  /** Display order: Sealroom first, then raw, then everything else in the order it first appears. */
  static List<String> seriesOrder(List<Run> runs) {
    List<String> names = new ArrayList<>();
    runs.stream().sorted(Comparator.comparingInt(Report::rank).thenComparingInt(Run::order))
        .forEach(r -> { if (!names.contains(r.name())) names.add(r.name()); });
    return names;
  }

  private static int rank(Run r) { return r.kind().equals("sealroom") ? 0 : r.isRaw() ? 1 : r.isPeer() ? 2 : 3; }

  static Map<Config, List<Run>> byConfig(List<Run> runs) {
    Map<Config, List<Run>> m = new TreeMap<>();
    for (Run r : runs) m.computeIfAbsent(new Config(r.subs(), r.size()), k -> new ArrayList<>()).add(r);
    return m;
  }

  // ---- Markdown --------------------------------------------------------------------------------

  static String markdown(List<Run> runs, String note, String svgName, String dataName) { return markdown(runs, null, note, svgName, dataName); }

  static String markdown(List<Run> runs, String command, String note, String svgName, String dataName) {
    StringBuilder b = heading("Fan-out comparison", runs, command, note, dataName);
    b.append("One room, every subscriber gets every message; one publisher at a fixed rate. Latency is send to receipt (warm-up excluded). ")
        .append("Ratios: deliveries/s ÷ the reference (above 1 = more) and p99 ÷ the reference (above 1 = slower). ")
        .append("Best peer at a rate: the highest deliveries/s among nats, uws, centrifuge and vertx runs without loss ")
        .append("(within 2% counts as equal; then the lowest p99). Raw: the raw Vert.x fan-out server (encode once, ")
        .append("coalesced writes, no auth, no store), the limit of what Vert.x does here.\n\n");
    if (svgName != null) b.append("![latency against offered load](").append(svgName).append(")\n\n");
    for (Map.Entry<Config, List<Run>> e : byConfig(runs).entrySet()) {
      Config c = e.getKey();
      List<Run> cr = e.getValue();
      List<String> order = seriesOrder(cr);
      TreeSet<Integer> rates = new TreeSet<>();
      cr.forEach(r -> rates.add(r.rate()));
      Run any = cr.get(0);
      b.append("## ").append(c.subs()).append(" subscribers, ").append(c.size()).append("-byte messages");
      if (any.duration() > 0) b.append(", ").append(any.duration()).append(" s measured after ").append(any.warmup()).append(" s warm-up");
      b.append("\n\nSummary: deliveries/s · p50/p99 ms · server µs per delivery (loss in bold).\n\n");
      summary(b, "target", order, rates, c.subs(), (name, rate) -> {
        Run r = find(cr, name, rate);
        return r == null ? null : cell(r);
      });
      b.append('\n');
      for (int rate : rates) {
        List<Run> at = cr.stream().filter(r -> r.rate() == rate).toList();
        Run best = bestPeer(at), raw = raw(at);
        b.append("### ").append(rate).append(" msg/s offered\n\n");
        b.append("Best peer: ").append(best == null ? "none ran" : best.name() + (best.lossFree() ? "" : " (every peer lost messages)"))
            .append(". Raw limit: ").append(raw == null ? "not measured" : raw.lossFree() ? "measured" : "measured, with loss").append(".\n\n");
        b.append("| target | deliveries/s | loss | p50 ms | p99 ms | p99.9 ms | server µs/delivery | server CPU % | tool CPU % ")
            .append("| deliveries ÷ best peer | p99 ÷ best peer | deliveries ÷ raw | p99 ÷ raw | notes |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String name : order) {
          Run r = find(at, name, rate);
          if (r != null) b.append(row(r, best, raw)).append('\n');
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** The title, the command that made the runs (when given), their time span, the note and the raw data's file. */
  static StringBuilder heading(String title, List<Run> runs, String command, String note, String dataName) {
    StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
    if (command != null && !command.isBlank()) b.append("Command:\n\n```\n").append(command.trim()).append("\n```\n\n");
    List<String> dates = runs.stream().map(Run::date).filter(d -> !d.isEmpty()).sorted().toList();
    if (!dates.isEmpty()) b.append("Runs from ").append(minute(dates.get(0))).append(" to ").append(minute(dates.get(dates.size() - 1))).append(". ");
    if (note != null && !note.isBlank()) b.append(note.trim()).append(' ');
    if (dataName != null) b.append("Raw data: [").append(dataName).append("](").append(dataName).append("). ");
    return b.append("\n\n");
  }

  /**
   * A summary table: one row per series, one column per rate (titled with the deliveries/s it
   * offers to subs subscribers), cell(series, rate) in each, "–" where it is null.
   */
  static void summary(StringBuilder b, String corner, List<String> series, java.util.Collection<Integer> rates, int subs,
      java.util.function.BiFunction<String, Integer, String> cell) {
    b.append("| ").append(corner).append(" |");
    for (int rate : rates) b.append(' ').append(rate).append(" msg/s (").append(thousands((long) rate * subs)).append(" deliveries/s offered) |");
    b.append("\n|---|").append("---|".repeat(rates.size())).append('\n');
    for (String name : series) {
      b.append("| ").append(name).append(" |");
      for (int rate : rates) {
        String c = cell.apply(name, rate);
        b.append(' ').append(c == null ? "–" : c).append(" |");
      }
      b.append('\n');
    }
  }

  /** "2026-11-26T09:14:13.009Z" as "2026-11-26 09:14 UTC". */
  static String minute(String iso) {
    return iso.length() >= 16 && iso.charAt(10) == 'T' && iso.endsWith("Z") ? iso.substring(0, 10) + " " + iso.substring(11, 16) + " UTC" : iso;
  }

  private static Run find(List<Run> runs, String name, int rate) {
    return runs.stream().filter(r -> r.name().equals(name) && r.rate() == rate).findFirst().orElse(null);
  }

  static String cell(Run r) {
    if (r.failed()) return "failed";
    String s = thousands(Math.round(r.deliveriesPerSec())) + " · " + ms(r.p50()) + "/" + ms(r.p99()) + " ms · "
        + (r.serverUs() == null ? "–" : us(r.serverUs())) + " µs";
    return r.lossFree() ? s : s + " · **" + loss(r) + "**";
  }

  static String row(Run r, Run best, Run raw) {
    String name = r.name() + (r == best ? " (best peer)" : "");
    if (r.failed()) {
      return "| " + name + " | – | – | – | – | – | – | – | – | – | – | – | – | failed: " + md(r.reason() == null ? "no result" : r.reason()) + " |";
    }
    List<String> notes = new ArrayList<>();
    if (r.toolCpu() != null && r.toolCpu() >= TOOL_BUSY_PCT) notes.add("tool CPU ≥ " + (int) TOOL_BUSY_PCT + "%: partly measures the tool");
    if (r.serverCpu() != null && r.serverCpu() >= 95) notes.add("server core saturated");
    return "| " + name + " | " + thousands(Math.round(r.deliveriesPerSec())) + " | " + (r.lossFree() ? "0" : loss(r))
        + " | " + ms(r.p50()) + " | " + ms(r.p99()) + " | " + ms(r.p999())
        + " | " + (r.serverUs() == null ? "–" : us(r.serverUs())) + " | " + pct(r.serverCpu()) + " | " + pct(r.toolCpu())
        + " | " + ratio(r.deliveriesPerSec(), best == null ? 0 : best.deliveriesPerSec())
        + " | " + ratio(r.p99(), best == null ? 0 : best.p99())
        + " | " + ratio(r.deliveriesPerSec(), raw == null ? 0 : raw.deliveriesPerSec())
        + " | " + ratio(r.p99(), raw == null ? 0 : raw.p99())
        + " | " + String.join("; ", notes) + " |";
  }

  static String loss(Run r) {
    List<String> parts = new ArrayList<>();
    if (r.missing() > 0) {
      String share = r.expected() > 0 ? fixed(100.0 * r.missing() / r.expected(), r.missing() * 1000 < r.expected() ? 2 : 1) + "% " : "";
      parts.add(share + "missing (" + thousands(r.missing()) + ")");
    }
    if (r.duplicates() > 0) parts.add(thousands(r.duplicates()) + " duplicates");
    return String.join(", ", parts);
  }

  static String ratio(double v, double ref) {
    if (ref <= 0 || v <= 0) return "–";
    double x = v / ref;
    return (x >= 100 ? fixed(x, 0) : x >= 10 ? fixed(x, 1) : fixed(x, 2)) + "×";
  }

  static String ms(double v) { return v >= 100 ? thousands(Math.round(v)) : fixed(v, v >= 1 ? 1 : 2); }

  static String us(double v) { return fixed(v, v >= 10 ? 1 : 2); }

  static String pct(Double v) { return v == null ? "–" : fixed(v, 0); }

  static String thousands(long v) { return String.format(Locale.ROOT, "%,d", v); }

  static String fixed(double v, int decimals) { return String.format(Locale.ROOT, "%." + decimals + "f", v); }

  private static String md(String s) { return s.replace("|", "\\|").replace("\n", " "); }

  // ---- JSON helpers ----------------------------------------------------------------------------

  private static Integer integer(Object v) {
    if (v instanceof Number n) return n.intValue();
    if (v instanceof String s) {
      try { return Integer.parseInt(s.trim()); } catch (NumberFormatException ignored) { return null; }
    }
    return null;
  }

  private static int intOr(Object v, int dflt) { return Objects.requireNonNullElse(integer(v), dflt); }

  private static double dbl(Object v, double dflt) { return v instanceof Number n ? n.doubleValue() : dflt; }

  private static Double num(Object v) { return v instanceof Number n && n.doubleValue() >= 0 ? n.doubleValue() : null; }
}
