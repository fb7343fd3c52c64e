package sealroom.load;

import java.net.URI;

/** Command-line options of the load tool. */
final class Opts {
  static final String USAGE = String.join("\n",
      "usage: java -jar sealroom-load.jar <scenario> [options]",
      "scenarios:",
      "  fanout      one room, --subs subscribers, one publisher at --rate msg/s of --size bytes; any --target.",
      "              Loss: per subscriber, every sent (peers) or acked (Sealroom, also checked by seq) message",
      "              exactly once; latency send -> receipt from ts=<nanoTime> in the text, found by a byte scan",
      "  rooms       Sealroom: --rooms private groups x --members members, all subscribed; member 0 of each room",
      "              sends; --rate msg/s in all. Reports stored (acked) msg/s, deliveries/s, latency; loss = an",
      "              acked seq that did not reach a member of its room (seqBreaks: out-of-order arrivals, informational)",
      "  connect     Sealroom: open --conns connections (auth -> ready) as fast as the server takes them, then",
      "              idle; connects/s, server CPU per connect, server RSS at --checkpoints and per connection",
      "  resume      Sealroom: --subs subscribers get 5 live messages, all drop, --messages are sent and acked,",
      "              all reconnect at once with since; catch-up time per subscriber (p50/p90/p99), no gap, no dup",
      "  cluster     Sealroom: fanout over the nodes of a cluster (--urls): subscriber i on node i mod n, the",
      "              publisher on the first node; latency p50/p90/p99 also for subscribers on the publisher's node",
      "              (local) and on the others (remote), the hop = remote p50 - local p50; loss per node; CPU and",
      "              RSS of every node (--server-pids, in --urls order)",
      "  selftest    the tool's own receive speed: an in-process Netty server (own thread) writes pre-encoded",
      "              Sealroom msg frames, --batch per write, to --subs connections (50 is plenty); prints frames/s,",
      "              the CPU of the tool's --loops client loops (--loops 1: one core) and their ns per frame",
      "  raw-server  run the raw Vert.x fan-out server (target raw): /sub?room= and /pub?room= on 127.0.0.1:--port;",
      "              also: java -cp sealroom-load.jar sealroom.load.RawServer --port 9010",
      "Every scenario but selftest and raw-server measures from a second process: start the server first.",
      "The JSON result has toolCpuPct (the whole tool process) and toolLoopCpuPct (its client event loops).",
      "Exit code: 0 when nothing is missing or duplicated, 1 otherwise, 2 for bad options, 3 for a failed run.",
      "options:",
      "  --target T                sealroom | raw | vertx | nats | uws | centrifuge (default sealroom). raw = this tool's",
      "                            raw-server; vertx = the naive Vert.x peer; nats = NATS websocket listener; uws =",
      "                            uWebSockets.js pub/sub; centrifuge = the centrifuge library server (JSON protocol)",
      "  --urls URL,URL,...        cluster: the nodes' base URLs, the publisher's node first (default: --url alone)",
      "  --url URL                 base URL (default http://127.0.0.1:<port of the target>: sealroom 8080, raw 9010,",
      "                            vertx 9008, uws 9001, nats 9004, centrifuge 9005)",
      "  --subs N                  subscribers (fanout, resume) or connections (selftest) (default 1000); with peers,",
      "                            fanout has been run with 10,000 (raise --connect-concurrency to connect faster)",
      "  --rate R                  published messages per second, in all (default 100)",
      "  --size S                  message text bytes (default 200)",
      "  --duration D              publishing seconds (default 10; selftest: measured seconds)",
      "  --warmup W                seconds published before --duration, kept out of the latency (default 2)",
      "  --settle S                fanout, cluster: seconds to wait after the last subscriber is subscribed before",
      "                            publishing (default 0). A clustered node reads the store again 0.3 s and 2 s after each",
      "                            sub and replays what the subscription has not had yet: publishing at once makes",
      "                            every new subscription replay (see load-tests/README.md, cluster)",
      "  --drain S                 after publishing, stop waiting once S seconds pass without a delivery or ack (default 5; 60 s at most)",
      "  --loops L                 tool event loops (default 2)",
      "  --rest-concurrency C      register/login/join requests in flight (default 16)",
      "  --connect-concurrency C   WebSocket handshakes in flight (default 100)",
      "  --room NAME               room (channel) name used with the peers (default load)",
      "  --rooms R                 rooms: number of rooms (default 1000)",
      "  --members M               rooms: members per room, each subscribed (default 10)",
      "  --conns C                 connect: connections to open (default 10000)",
      "  --users U                 connect: users whose tokens the connections share (default 100); rooms: users",
      "                            spread over the rooms' member lists (default min(1000, rooms x members))",
      "  --sources K               connect: local source addresses 127.0.0.2 .. 127.0.0.(K+1), round robin, so that",
      "                            ephemeral ports do not run out (default 4; 0 = let the kernel choose)",
      "  --checkpoints LIST        connect: connection counts at which to report server RSS, e.g. 10000,50000,100000",
      "                            (default: every 10000 and the total)",
      "  --idle S                  connect: seconds to stay connected and idle after the last connect (default 5)",
      "  --procs K                 connect: split --conns over K tool processes (forks of this jar; one process",
      "                            holds at most ~19,900 sockets when the open-files limit is 20,000; the server is",
      "                            bound by the same limit) (default 1). EMFILE in the tool stops the opening and",
      "                            is reported as emfile: true; a server out of descriptors shows as failed connects",
      "  --messages K              resume: messages sent while the subscribers are away (default 100)",
      "  --encrypted               fanout and rooms on Sealroom: encrypted private groups (\"p\", encrypted true, the",
      "                            owner adds the subscribers); each sender uploads E2E keys and establishes the room",
      "                            key; every message ({\"text\": --size bytes}) is sealed (AES-256-GCM) and signed",
      "                            (Ed25519) with the SDK's crypto before the run, in parallel, and sent as an e2e",
      "                            envelope (~530-byte frames for 200-byte texts); its cid e<room>-<k> identifies it",
      "                            and the sender keeps each send time for the latency",
      "  --batch B                 selftest: frames per server write (default 256). Frames still queue in the",
      "                            socket when the server writes faster than the tool reads, so small batches",
      "                            mostly cost the server more syscalls",
      "  --nats-pub-port P         nats: the publisher sends PUB lines over TCP to this port, as NATS clients and the",
      "                            shared Go bench do (default 4222); 0 = publish over a websocket like the subscribers",
      "  --rcvbuf BYTES            SO_RCVBUF of the tool's sockets (default 0: kernel autotuning). Thousands of",
      "                            autotuned buffers filling during a burst can put the kernel under TCP memory",
      "                            pressure (nstat TcpExtTCPMemoryPressures), which stalls loopback for seconds",
      "  --port P                  raw-server: listen port (default 9010)",
      "  --server-loops L          raw-server: event loops (default 1)",
      "  --server-pid PID          report this process's CPU and RSS from /proc",
      "  --server-pids P,P,...     cluster: the nodes' pids, in --urls order (--server-pid is the first node's)",
      "  --store-pid PID           cluster: report the CPU and RSS of the shared store process too",
      "  --json                    append the result to <results-dir>/<date>-<scenario>.json and .md",
      "  --results-dir DIR         default results",
      "  --label TEXT              name of the run in the table (default: the target)");

  static final java.util.Set<String> SCENARIOS = java.util.Set.of("fanout", "cluster", "rooms", "connect", "resume", "selftest", "raw-server");
  static final java.util.Map<String, Integer> PORTS = java.util.Map.of("sealroom", 8080, "raw", 9010, "vertx", 9008,
      "uws", 9001, "nats", 9004, "centrifuge", 9005);

  String scenario;
  String target = "sealroom";
  String url;
  /** cluster: every node's base URL, the publisher's first; otherwise url alone. */
  java.util.List<String> urls;
  int subs = 1000, rate = 100, size = 200, duration = 10, warmup = 2, drain = 5, loops = 2, settle;
  int restConcurrency = 16, connectConcurrency = 100;
  int rooms = 1000, members = 10, conns = 10000, users = -1, sources = 4, idle = 5, procs = 1, messages = 100;
  int port = 9010, serverLoops = 1, batch = 256, natsPubPort = 4222, rcvbuf;
  String room = "load";
  int[] checkpoints;
  boolean encrypted;
  long serverPid = -1;
  /** Pids of the nodes in urls order (one entry per node; -1 where unknown). */
  long[] serverPids;
  long storePid = -1;
  boolean json;
  String resultsDir = "results";
  String label;
  /** connect with --procs: this process's share (set by the parent for its children). */
  int procIndex = -1;

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
      if (k.equals("--encrypted")) { o.encrypted = true; continue; }
      if (i + 1 >= a.length) throw new IllegalArgumentException(k + " needs a value");
      String v = a[++i];
      switch (k) {
        case "--target" -> o.target = v;
        case "--url" -> o.url = trimSlash(v);
        case "--urls" -> o.urls = java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Opts::trimSlash).toList();
        case "--server-pids" -> o.serverPids = java.util.Arrays.stream(v.split(",")).mapToLong(x -> pos(k, x.trim())).toArray();
        case "--store-pid" -> o.storePid = pos(k, v);
        case "--subs" -> o.subs = pos(k, v);
        case "--rate" -> o.rate = pos(k, v);
        case "--size" -> o.size = pos(k, v);
        case "--duration" -> o.duration = pos(k, v);
        case "--warmup" -> o.warmup = Integer.parseInt(v);
        case "--drain" -> o.drain = pos(k, v);
        case "--settle" -> o.settle = Integer.parseInt(v);
        case "--loops" -> o.loops = pos(k, v);
        case "--rest-concurrency" -> o.restConcurrency = pos(k, v);
        case "--connect-concurrency" -> o.connectConcurrency = pos(k, v);
        case "--server-pid" -> o.serverPid = pos(k, v);
        case "--room" -> o.room = v;
        case "--rooms" -> o.rooms = pos(k, v);
        case "--members" -> o.members = pos(k, v);
        case "--conns" -> o.conns = pos(k, v);
        case "--users" -> o.users = pos(k, v);
        case "--sources" -> o.sources = Integer.parseInt(v);
        case "--checkpoints" -> o.checkpoints = java.util.Arrays.stream(v.split(",")).mapToInt(x -> pos(k, x.trim())).sorted().toArray();
        case "--idle" -> o.idle = Integer.parseInt(v);
        case "--procs" -> o.procs = pos(k, v);
        case "--proc-index" -> o.procIndex = Integer.parseInt(v);
        case "--messages" -> o.messages = pos(k, v);
        case "--port" -> o.port = pos(k, v);
        case "--batch" -> o.batch = pos(k, v);
        case "--nats-pub-port" -> o.natsPubPort = Integer.parseInt(v);
        case "--rcvbuf" -> o.rcvbuf = Integer.parseInt(v);
        case "--server-loops" -> o.serverLoops = pos(k, v);
        case "--results-dir" -> o.resultsDir = v;
        case "--label" -> o.label = v;
        default -> throw new IllegalArgumentException("unknown option: " + k);
      }
    }
    if (o.scenario == null || !SCENARIOS.contains(o.scenario)) throw new IllegalArgumentException("scenario must be one of " + new java.util.TreeSet<>(SCENARIOS));
    if (!PORTS.containsKey(o.target)) throw new IllegalArgumentException("--target must be one of " + new java.util.TreeSet<>(PORTS.keySet()));
    nodes(o);
    boolean sealroomOnly = o.scenario.equals("rooms") || o.scenario.equals("connect") || o.scenario.equals("resume");
    if (sealroomOnly && !o.target.equals("sealroom")) throw new IllegalArgumentException(o.scenario + " runs against --target sealroom only");
    if (o.encrypted && !o.target.equals("sealroom")) throw new IllegalArgumentException("--encrypted needs --target sealroom");
    if (o.label == null && o.scenario.equals("cluster")) o.label = nodesName(o.urls.size()) + " @ " + o.rate + " msg/s" + (o.encrypted ? " e2e" : "");
    if (o.label == null) o.label = o.scenario.equals("selftest") ? "selftest" : o.target + (o.encrypted ? " e2e" : "");
    return o;
  }

  /** Settles url, urls and serverPids: one list of nodes, the first being the publisher's. */
  private static void nodes(Opts o) {
    boolean cluster = o.scenario.equals("cluster");
    if (!cluster && (o.urls != null || o.serverPids != null || o.storePid > 0)) {
      throw new IllegalArgumentException("--urls, --server-pids and --store-pid are options of the cluster scenario");
    }
    if (cluster && !o.target.equals("sealroom")) throw new IllegalArgumentException("cluster runs against --target sealroom only");
    if (o.urls != null && o.urls.isEmpty()) throw new IllegalArgumentException("--urls: no URL");
    if (o.urls != null && o.url != null && !o.url.equals(o.urls.get(0))) throw new IllegalArgumentException("--url and --urls disagree: give --urls only");
    if (o.url == null) o.url = o.urls != null ? o.urls.get(0) : "http://127.0.0.1:" + PORTS.get(o.target);
    if (o.urls == null) o.urls = java.util.List.of(o.url);
    if (o.serverPids == null) o.serverPids = o.serverPid > 0 ? new long[] {o.serverPid} : new long[0];
    else if (o.serverPid > 0 && o.serverPid != o.serverPids[0]) throw new IllegalArgumentException("--server-pid and --server-pids disagree: give --server-pids only");
    if (o.serverPids.length > 0 && o.serverPids.length != o.urls.size()) {
      throw new IllegalArgumentException("--server-pids: " + o.serverPids.length + " pids for " + o.urls.size() + " nodes");
    }
    if (o.serverPids.length > 0) o.serverPid = o.serverPids[0];
  }

  /** "1 node", "3 nodes": the name of a cluster run's series. */
  static String nodesName(int n) { return n + (n == 1 ? " node" : " nodes"); }

  private static String trimSlash(String v) { return v.endsWith("/") ? v.substring(0, v.length() - 1) : v; }

  private static int pos(String k, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) { }
    throw new IllegalArgumentException(k + ": must be a positive integer");
  }
}
