package sealroom.load;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

import sealroom.load.Report.Config;
import sealroom.load.Report.Run;

/** The report's plot: hand-written SVG of latency against offered load, one line pair per server. */
final class ReportPlot {
  private static final String[] PALETTE = {"#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#98df8a", "#c5b0d5"};
  private static final Map<String, String> COLORS = Map.of("sealroom", "#d62728", "sealroom-mem", "#ff9896", "raw", "#222222",
      "nats", "#1f77b4", "uws", "#2ca02c", "centrifuge", "#9467bd", "vertx", "#ff7f0e");

  /** A distinct colour per series: the fixed ones for the usual targets, then the palette in order. */
  static Map<String, String> colors(List<String> order) {
    Map<String, String> m = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (String n : order) if (COLORS.containsKey(n)) { m.put(n, COLORS.get(n)); used.add(COLORS.get(n)); }
    int next = 0;
    for (String n : order) {
      if (m.containsKey(n)) continue;
      String c = null;
      while (c == null || used.contains(c)) c = next < PALETTE.length ? PALETTE[next++] : "hsl(" + (next++ * 47 % 360) + ",60%,45%)";
      m.put(n, c);
      used.add(c);
    }
    return m;
  }

  private ReportPlot() { }

  /**
   * Latency (log) against offered msgs/s (log) for the configuration with the most runs: p99 solid,
   * p50 dashed, one colour per server; a hollow marker is a run that lost messages, a cross on the
   * x axis a run that failed.
   */
  static String svg(List<Run> runs) {
    Map<Config, List<Run>> configs = Report.byConfig(runs);
    Config c = configs.entrySet().stream().max(Comparator.comparingInt((Map.Entry<Config, List<Run>> e) -> e.getValue().size()))
        .map(Map.Entry::getKey).orElseThrow();
    List<Run> cr = configs.get(c);
    List<String> order = Report.seriesOrder(cr);
    Map<String, String> colors = colors(order);
    final int w = 980, h = 600, left = 90, right = w - 230, top = 70, bottom = h - 80;
    TreeSet<Integer> rates = new TreeSet<>();
    cr.forEach(r -> rates.add(r.rate()));
    double xLo = Math.log10(rates.first()) - 0.15, xHi = Math.log10(rates.last()) + 0.15;
    double yMin = Double.MAX_VALUE, yMax = 0;
    for (Run r : cr) {
      if (!r.hasLatency()) continue;
      for (double v : new double[] {r.p50(), r.p99()}) if (v > 0) { yMin = Math.min(yMin, v); yMax = Math.max(yMax, v); }
    }
    if (yMax == 0) { yMin = 1; yMax = 1000; }
    double yLo = Math.floor(Math.log10(yMin)), yHi = Math.ceil(Math.log10(yMax));
    if (yHi <= yLo) yHi = yLo + 1;
    final double fxLo = xLo, fxHi = xHi, fyLo = yLo, fyHi = yHi;
    DoubleUnaryOperator x = v -> left + (Math.log10(v) - fxLo) / (fxHi - fxLo) * (right - left);
    DoubleUnaryOperator y = v -> bottom - (Math.log10(Math.max(v, Math.pow(10, fyLo))) - fyLo) / (fyHi - fyLo) * (bottom - top);

    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(text(w / 2.0 - 115, 28, "middle", 17, "bold", "Fan-out latency against offered load"));
    s.append(text(w / 2.0 - 115, 50, "middle", 13, "normal", c.subs() + " subscribers in one room, " + c.size()
        + "-byte messages; p99 solid, p50 dashed"));
    // Grid and axes.
    s.append("<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
    for (int d = (int) yLo; d < yHi; d++) {
      for (int k = 2; k <= 9; k++) {
        if (k != 2 && k != 5) continue;
        double yy = y.applyAsDouble(k * Math.pow(10, d));
        s.append(line(left, yy, right, yy, null));
      }
    }
    s.append("</g>\n<g stroke=\"#c8c8c8\" stroke-width=\"1\">\n");
    for (int d = (int) yLo; d <= yHi; d++) { double yy = y.applyAsDouble(Math.pow(10, d)); s.append(line(left, yy, right, yy, null)); }
    for (int rate : rates) { double xx = x.applyAsDouble(rate); s.append(line(xx, top, xx, bottom, null)); }
    s.append("</g>\n");
    s.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(right - left).append("\" height=\"")
        .append(bottom - top).append("\" fill=\"none\" stroke=\"#444\"/>\n");
    for (int d = (int) yLo; d <= yHi; d++) {
      double v = Math.pow(10, d);
      s.append(text(left - 8, y.applyAsDouble(v) + 4, "end", 12, "normal", v >= 1 ? Report.thousands(Math.round(v)) : Report.fixed(v, -d)));
    }
    for (int rate : rates) {
      s.append(text(x.applyAsDouble(rate), bottom + 18, "middle", 12, "normal", Report.thousands(rate)));
    }
    s.append(text((left + right) / 2.0, bottom + 44, "middle", 13, "normal",
        "offered load, messages/s published into the room (log scale; × " + Report.thousands(c.subs()) + " = deliveries/s)"));
    s.append("<text x=\"22\" y=\"").append((top + bottom) / 2).append("\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 22 ")
        .append((top + bottom) / 2).append(")\">latency, ms (log scale)</text>\n");
    // Series.
    for (int i = 0; i < order.size(); i++) {
      String name = order.get(i);
      String color = colors.get(name);
      List<Run> sr = cr.stream().filter(r -> r.name().equals(name)).sorted(Comparator.comparingInt(Run::rate)).toList();
      List<Run> ok = sr.stream().filter(Run::hasLatency).toList();
      s.append("<g>\n");
      if (ok.size() > 1) {
        s.append(polyline(ok, Run::p50, x, y, color, 1.5, "6 4"));
        s.append(polyline(ok, Run::p99, x, y, color, 2.5, null));
      }
      for (Run r : ok) {
        String fill = r.lossFree() ? color : "white";
        String tip = esc(r.label() + ": p50 " + Report.ms(r.p50()) + " ms, p99 " + Report.ms(r.p99()) + " ms, "
            + Report.thousands(Math.round(r.deliveriesPerSec())) + " deliveries/s" + (r.lossFree() ? "" : ", " + Report.loss(r)));
        s.append(circle(x.applyAsDouble(r.rate()), y.applyAsDouble(r.p50()), 3, fill, color, tip));
        s.append(circle(x.applyAsDouble(r.rate()), y.applyAsDouble(r.p99()), 5, fill, color, tip));
      }
      for (Run r : sr) {
        if (r.hasLatency()) continue;
        double xx = x.applyAsDouble(r.rate()), yy = bottom - 8 - 7 * i;
        s.append("<path d=\"M").append(f(xx - 4)).append(' ').append(f(yy - 4)).append(" l8 8 m0 -8 l-8 8\" stroke=\"").append(color)
            .append("\" stroke-width=\"2\"><title>").append(esc(r.label() + ": " + (r.failed() ? "failed" : "no latency")
                + (r.reason() == null ? "" : " (" + r.reason() + ")"))).append("</title></path>\n");
      }
      s.append("</g>\n");
    }
    // Legend.
    int lx = right + 25, ly = top + 10;
    s.append(text(lx, ly, "start", 13, "bold", "server"));
    for (int i = 0; i < order.size(); i++) {
      String name = order.get(i);
      String color = colors.get(name);
      double yy = ly + 24 + 22 * i;
      s.append("<line x1=\"").append(lx).append("\" y1=\"").append(f(yy - 4)).append("\" x2=\"").append(lx + 28).append("\" y2=\"")
          .append(f(yy - 4)).append("\" stroke=\"").append(color).append("\" stroke-width=\"2.5\"/>\n");
      s.append(circle(lx + 14, yy - 4, 5, color, color, null));
      s.append(text(lx + 38, yy, "start", 13, "normal", name));
    }
    double ky = ly + 24 + 22 * order.size() + 20;
    s.append(text(lx, ky, "start", 13, "bold", "key"));
    s.append("<line x1=\"").append(lx).append("\" y1=\"").append(f(ky + 20)).append("\" x2=\"").append(lx + 28).append("\" y2=\"").append(f(ky + 20))
        .append("\" stroke=\"#444\" stroke-width=\"2.5\"/>\n").append(text(lx + 38, ky + 24, "start", 12, "normal", "p99"));
    s.append("<line x1=\"").append(lx).append("\" y1=\"").append(f(ky + 42)).append("\" x2=\"").append(lx + 28).append("\" y2=\"").append(f(ky + 42))
        .append("\" stroke=\"#444\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n").append(text(lx + 38, ky + 46, "start", 12, "normal", "p50"));
    s.append(circle(lx + 14, ky + 64, 5, "white", "#444", null)).append(text(lx + 38, ky + 68, "start", 12, "normal", "run lost messages"));
    s.append("<path d=\"M").append(lx + 10).append(' ').append(f(ky + 82)).append(" l8 8 m0 -8 l-8 8\" stroke=\"#444\" stroke-width=\"2\"/>\n")
        .append(text(lx + 38, ky + 90, "start", 12, "normal", "run failed"));
    s.append("</svg>\n");
    return s.toString();
  }

  private static String polyline(List<Run> rs, ToDoubleFunction<Run> v, DoubleUnaryOperator x,
      DoubleUnaryOperator y, String color, double width, String dash) {
    StringBuilder b = new StringBuilder("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width).append('"');
    if (dash != null) b.append(" stroke-dasharray=\"").append(dash).append('"');
    b.append(" points=\"");
    for (Run r : rs) b.append(f(x.applyAsDouble(r.rate()))).append(',').append(f(y.applyAsDouble(v.applyAsDouble(r)))).append(' ');
    return b.append("\"/>\n").toString();
  }

  private static String circle(double cx, double cy, double r, String fill, String stroke, String title) {
    String head = "<circle cx=\"" + f(cx) + "\" cy=\"" + f(cy) + "\" r=\"" + f(r) + "\" fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"1.5\"";
    return title == null ? head + "/>\n" : head + "><title>" + title + "</title></circle>\n";
  }

  private static String line(double x1, double y1, double x2, double y2, String stroke) {
    return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\""
        + (stroke == null ? "" : " stroke=\"" + stroke + "\"") + "/>\n";
  }

  private static String text(double x, double y, String anchor, int size, String weight, String t) {
    return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\""
        + ("normal".equals(weight) ? "" : " font-weight=\"" + weight + "\"") + ">" + esc(t) + "</text>\n";
  }

  private static String f(double v) { return Report.fixed(v, 1); }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

}
