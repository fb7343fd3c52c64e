package sealroom.load;

import java.net.URI;

/** Command-line options of the load tool. */
final class Opts {
  static final String USAGE = String.join("\n",
      "usage: java -jar sealroom-load.jar fanout [options]",
      "  --target sealroom|vertx   server kind (vertx = raw Vert.x fan-out peer: /sub?room= and /pub?room=)",
      "  --url URL                 base URL (default http://127.0.0.1:8080)",
      "  --subs N                  subscribers (default 1000)",
      "  --rate R                  published messages per second (default 100)",
      "  --size S                  message text bytes (default 200)",
      "  --duration D              publishing seconds (default 10)",
      "  --warmup W                seconds published before --duration, kept out of the latency (default 2)",
      "  --drain S                 after publishing, stop waiting once S seconds pass without a delivery or ack (default 5; 60 s at most)",
      "  --loops L                 tool event loops (default 2)",
      "  --rest-concurrency C      register/login/join requests in flight (default 16)",
      "  --connect-concurrency C   WebSocket connects in flight (default 100)",
      "  --server-pid PID          report this process's CPU and RSS from /proc",
      "  --json                    append the result to <results-dir>/<date>-fanout.json and .md",
      "  --results-dir DIR         default results",
      "  --label TEXT              name of the run in the table (default: the target)");

  String scenario;
  String target = "sealroom";
  String url = "http://127.0.0.1:8080";
  int subs = 1000, rate = 100, size = 200, duration = 10, warmup = 2, drain = 5, loops = 2;
  int restConcurrency = 16, connectConcurrency = 100;
  long serverPid = -1;
  boolean json;
  String resultsDir = "results";
  String label;

  String host() { return URI.create(url).getHost(); }

  int port() {
    URI u = URI.create(url);
    return u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
  }

  static Opts parse(String[] a) {
    Opts o = new Opts();
    for (int i = 0; i < a.length; i++) {
      String k = a[i];
      if (!k.startsWith("--")) {
        if (o.scenario != null) throw new IllegalArgumentException("unexpected argument: " + k);
        o.scenario = k;
        continue;
      }
      if (k.equals("--json")) { o.json = true; continue; }
      if (i + 1 >= a.length) throw new IllegalArgumentException(k + " needs a value");
      String v = a[++i];
      switch (k) {
        case "--target" -> o.target = v;
        case "--url" -> o.url = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        case "--subs" -> o.subs = pos(k, v);
        case "--rate" -> o.rate = pos(k, v);
        case "--size" -> o.size = pos(k, v);
        case "--duration" -> o.duration = pos(k, v);
        case "--warmup" -> o.warmup = Integer.parseInt(v);
        case "--drain" -> o.drain = pos(k, v);
        case "--loops" -> o.loops = pos(k, v);
        case "--rest-concurrency" -> o.restConcurrency = pos(k, v);
        case "--connect-concurrency" -> o.connectConcurrency = pos(k, v);
        case "--server-pid" -> o.serverPid = pos(k, v);
        case "--results-dir" -> o.resultsDir = v;
        case "--label" -> o.label = v;
        default -> throw new IllegalArgumentException("unknown option: " + k);
      }
    }
    if (!"fanout".equals(o.scenario)) throw new IllegalArgumentException("scenario must be fanout (the only one so far)");
    if (!o.target.equals("sealroom") && !o.target.equals("vertx")) throw new IllegalArgumentException("--target must be sealroom or vertx");
    if (o.label == null) o.label = o.target;
    return o;
  }

  private static int pos(String k, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) { }
    throw new IllegalArgumentException(k + ": must be a positive integer");
  }
}
