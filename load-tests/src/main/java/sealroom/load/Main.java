package sealroom.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;

/** Entry point: runs one scenario against one target, prints a summary, optionally saves it. */
public final class Main {
  static final String TABLE_HEAD = "| target | subs | msg/s offered | msg/s delivered | deliveries/s | missing | dup | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | server CPU % | server us/delivery | server KB/conn | tool CPU % |\n"
      + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

  private Main() { }

  public static void main(String[] args) throws Exception {
    Opts o;
    try {
      o = Opts.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Opts.USAGE);
      System.exit(2);
      return;
    }
    if (o.scenario.equals("raw-server")) { RawServer.main(o); return; }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    System.out.println("tool: " + o.loops + " client event loops (raw Netty, " + (io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "NIO") + ")");
    int rc;
    try {
      JsonObject r;
      String head, row;
      switch (o.scenario) {
        case "fanout" -> { r = new Fanout(vertx, o).run(); head = TABLE_HEAD; row = row(r); }
        case "cluster" -> { r = new Fanout(vertx, o).run(); head = Table.CLUSTER.head(); row = Table.CLUSTER.row(r); }
        case "rooms" -> { r = new Rooms(vertx, o).run(); head = Rooms.TABLE.head(); row = Rooms.TABLE.row(r); }
        case "connect" -> { r = new Connect(vertx, o).run(); head = Connect.TABLE.head(); row = Connect.TABLE.row(r); }
        case "resume" -> { r = new Resume(vertx, o).run(); head = Resume.TABLE.head(); row = Resume.TABLE.row(r); }
        case "selftest" -> { r = new SelfTest(o).run(); head = Table.SELFTEST.head(); row = Table.SELFTEST.row(r); }
        default -> throw new IllegalArgumentException("scenario " + o.scenario + " is not implemented yet");
      }
      System.out.println("result: " + r.encode());
      System.out.println(head + row);
      if (o.json) save(r, o, head, row);
      rc = r.getLong("missing", 0L) == 0 && r.getLong("duplicates", 0L) == 0 && r.getLong("missingAckedSeqs", 0L) == 0 ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      rc = 3;
    }
    vertx.close();
    System.exit(rc);
  }

  static String row(JsonObject r) {
    JsonObject l = r.getJsonObject("latencyMs");
    return "| " + r.getString("label") + " | " + r.getInteger("subs") + " | " + r.getValue("offeredMsgsPerSec")
        + " | " + r.getValue("deliveredMsgsPerSec") + " | " + Math.round(r.getDouble("deliveriesPerSec"))
        + " | " + r.getLong("missing") + " | " + r.getLong("duplicates")
        + " | " + l.getValue("p50.0") + " | " + l.getValue("p90.0") + " | " + l.getValue("p99.0")
        + " | " + l.getValue("p99.9") + " | " + l.getValue("max")
        + " | " + r.getValue("serverCpuPct", "-") + " | " + r.getValue("serverUsPerDelivery", "-")
        + " | " + r.getValue("serverRssKbPerConnection", "-") + " | " + r.getValue("toolCpuPct") + " |";
  }

  /** Appends the run to <dir>/<date>-<scenario>.json (a JSON array) and its row to the .md table. */
  private static void save(JsonObject r, Opts o, String head, String row) throws Exception {
    Path dir = Path.of(o.resultsDir);
    Files.createDirectories(dir);
    String base = LocalDate.now() + "-" + o.scenario;
    Path json = dir.resolve(base + ".json");
    JsonArray runs = Files.exists(json) ? new JsonArray(Files.readString(json)) : new JsonArray();
    runs.add(r.put("date", java.time.Instant.now().toString()));
    Files.writeString(json, runs.encodePrettily() + "\n");
    Path md = dir.resolve(base + ".md");
    if (!Files.exists(md)) Files.writeString(md, head);
    Files.writeString(md, row + "\n", StandardOpenOption.APPEND);
    System.out.println("saved: " + json + " and " + md);
  }
}
