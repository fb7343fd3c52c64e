package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * File upload and download throughput against a running Sealroom node (issue 16, "Measure"),
 * with the JDK's HTTP client: (a) one large file uploaded, then downloaded; (b) many small files
 * uploaded all at once, then downloaded all at once. Bodies are generated and hashed on the fly
 * (never held whole), and every SHA-256 and size is checked against the server's file object.
 * Throughput is in MiB/s (1 MiB = 1,048,576 bytes). Each phase is preceded and followed by an
 * idle gap and carries its wall-clock bounds (epoch µs) so that a sampler of the server's
 * /proc (scripts/files.sh) can attribute CPU and RSS to it.
 */
public final class FileBench {
  static final String USAGE = String.join("\n",
      "usage: java -cp sealroom-load.jar sealroom.load.FileBench [options]",
      "  --url URL          the node (default http://127.0.0.1:8080)",
      "  --mode M           a | b | all (default all): a = one --big-bytes file up then down;",
      "                     b = --files files of --file-bytes, all uploads at once, then all downloads at once",
      "  --big-bytes N      size of the file of mode a (default 104857600 = 100 MiB, files.maxBytes)",
      "  --files N          files of mode b (default 100); --file-bytes N (default 1048576 = 1 MiB)",
      "  --users N          users the files of mode b are spread over, round robin (default 10; the",
      "                     default quota is 1 GiB per user); mode a is user 0's",
      "  --warmup-rounds N  unmeasured passes of the same phases first, so that the node's JIT has compiled the",
      "                     paths (default 3: on a fresh node the first pass cost the node ~4x the CPU per MiB, the 4th no more than the 6th)",
      "  --gap-ms MS        idle time before and after each phase (default 1000)",
      "  --timeout S        per request (default 300)",
      "  --out FILE         also write the result JSON to FILE",
      "  --label TEXT       name of the run");

  private static final double MIB = 1024 * 1024;
  private static final String PASSWORD = "load-test-password";

  String url = "http://127.0.0.1:8080";
  String mode = "all";
  long bigBytes = 100L << 20;
  int files = 100;
  long fileBytes = 1L << 20;
  int users = 10;
  int warmup = 3;
  int gapMs = 1000;
  int timeoutS = 300;
  String out;
  String label = "files";

  private final HttpClient http = client();

  /**
   * HTTP/1.1 (the node speaks no h2c), one connection per request in flight. The client's own
   * callbacks (body chunks, hashing, completions) run on its selector thread (a direct executor):
   * with the default pool a 100 MiB download took the tool about 1.3 CPU seconds instead of 0.9,
   * on a machine the node shares.
   */
  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .executor(Runnable::run).build();
  }
  private final List<String> tokens = new ArrayList<>();
  private String room;

  public static void main(String[] args) throws Exception {
    FileBench b;
    try {
      b = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    JsonObject r = b.run();
    System.out.println("result: " + r.encode());
    if (b.out != null) Files.writeString(Path.of(b.out), r.encodePrettily() + "\n");
    System.exit(r.getBoolean("ok") ? 0 : 1);
  }

  static FileBench parse(String[] a) {
    FileBench b = new FileBench();
    for (int i = 0; i < a.length; i++) {
      String k = a[i];
      if (k.equals("--help")) {
        System.out.println(USAGE);
        System.exit(0);
      }
      if (i + 1 >= a.length) throw new IllegalArgumentException(k + " needs a value");
      String v = a[++i];
      switch (k) {
        case "--url" -> b.url = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        case "--mode" -> b.mode = v;
        case "--big-bytes" -> b.bigBytes = Long.parseLong(v);
        case "--files" -> b.files = Integer.parseInt(v);
        case "--file-bytes" -> b.fileBytes = Long.parseLong(v);
        case "--users" -> b.users = Integer.parseInt(v);
        case "--warmup-rounds" -> b.warmup = Integer.parseInt(v);
        case "--gap-ms" -> b.gapMs = Integer.parseInt(v);
        case "--timeout" -> b.timeoutS = Integer.parseInt(v);
        case "--out" -> b.out = v;
        case "--label" -> b.label = v;
        default -> throw new IllegalArgumentException("unknown option: " + k);
      }
    }
    if (!List.of("a", "b", "all").contains(b.mode)) throw new IllegalArgumentException("--mode: a, b or all");
    if (b.bigBytes < 1 || b.files < 1 || b.fileBytes < 1 || b.users < 1 || b.warmup < 0 || b.gapMs < 0) {
      throw new IllegalArgumentException("sizes and counts must be positive");
    }
    return b;
  }

  JsonObject run() throws Exception {
    String run = "fb" + Long.toString(System.currentTimeMillis(), 36);
    long t0 = System.nanoTime();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      names.add(run + "-" + i);
      tokens.add(user(names.get(i)));
    }
    JsonObject roomBody = new JsonObject().put("type", "p").put("name", run)
        .put("members", new JsonArray(names.subList(1, names.size())));
    room = json("POST", "/api/v1/rooms", tokens.get(0), roomBody.encode()).getString("id");
    System.out.printf("setup: %d users, room %s, %.1f s%n", users, room, (System.nanoTime() - t0) / 1e9);

    JsonObject r = new JsonObject().put("label", label).put("url", url).put("users", users)
        .put("bigBytes", bigBytes).put("files", files).put("fileBytes", fileBytes).put("warmupRounds", warmup)
        .put("unit", "MiB/s = 1,048,576 bytes per second").put("date", Instant.now().toString());
    JsonArray phases;
    JsonArray warm = new JsonArray();
    for (int w = 1; w <= warmup; w++) {
      long t = System.nanoTime();
      JsonArray ph = pass(-w, false);
      long errors = ph.stream().mapToLong(p -> ((JsonObject) p).getLong("errors")).sum();
      System.out.printf("warm-up %d: %.1f s, %d errors%n", w, (System.nanoTime() - t) / 1e9, errors);
      r.put("warmupErrors", r.getLong("warmupErrors", 0L) + errors);
      warm.addAll(ph);
    }
    sleep();
    phases = pass(0, true);
    long errors = phases.stream().mapToLong(p -> ((JsonObject) p).getLong("errors")).sum();
    return r.put("phases", phases).put("warmup", warm).put("errors", errors)
        .put("ok", errors == 0 && r.getLong("warmupErrors", 0L) == 0);
  }

  /**
   * The phases of --mode once; round 0 is the measured one (printed, with idle gaps), warm-up
   * rounds are negative and use file numbers of their own.
   */
  private JsonArray pass(int round, boolean measured) throws Exception {
    JsonArray phases = new JsonArray();
    int base = -round * 1_000_000;
    String prefix = measured ? "" : "warmup" + (-round) + "-";
    if (!mode.equals("b")) {
      Phase up = new Phase(prefix + "a-upload", 1, 1, i -> upload(0, base, bigBytes));
      List<Res> got = up.run(measured);
      phases.add(up.json);
      if (measured) sleep();
      Phase down = new Phase(prefix + "a-download", 1, 1, i -> download(0, got.get(i)));
      down.run(measured);
      phases.add(down.json);
      if (measured) sleep();
    }
    if (!mode.equals("a")) {
      Phase up = new Phase(prefix + "b-upload", files, files, i -> upload(i % users, base + 1 + i, fileBytes));
      List<Res> got = up.run(measured);
      phases.add(up.json);
      if (measured) sleep();
      Phase down = new Phase(prefix + "b-download", files, files, i -> download(i % users, got.get(i)));
      down.run(measured);
      phases.add(down.json);
      if (measured) sleep();
    }
    return phases;
  }

  /** One request's outcome: the file object (upload) or the bytes checked (download), or an error. */
  record Res(JsonObject file, long bytes, String error, double ms, double tailMs) { }

  /** n requests, at most conc in flight, timed together; errors are kept, not thrown. */
  private final class Phase {
    final String name;
    final int n;
    final int conc;
    final IntFunction<CompletableFuture<Res>> task;
    final JsonObject json = new JsonObject();

    Phase(String name, int n, int conc, IntFunction<CompletableFuture<Res>> task) {
      this.name = name;
      this.n = n;
      this.conc = conc;
      this.task = task;
    }

    List<Res> run(boolean print) throws Exception {
      Res[] res = new Res[n];
      double cpu0 = Proc.cpuSeconds("self");
      long startUs = epochUs();
      long t0 = System.nanoTime();
      int[] next = {0};
      List<CompletableFuture<Void>> lanes = new ArrayList<>();
      for (int c = 0; c < Math.min(conc, n); c++) lanes.add(lane(res, next));
      CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(timeoutS + 60L, TimeUnit.SECONDS);
      double secs = (System.nanoTime() - t0) / 1e9;
      long endUs = epochUs();
      double cpu = Proc.cpuSeconds("self") - cpu0;
      long bytes = 0;
      List<String> errs = new ArrayList<>();
      double[] ms = new double[n];
      double[] tail = new double[n];
      for (int i = 0; i < n; i++) {
        bytes += res[i].error == null ? res[i].bytes : 0;
        if (res[i].error != null) errs.add("#" + i + ": " + res[i].error);
        ms[i] = res[i].ms;
        tail[i] = res[i].tailMs;
      }
      json.put("phase", name).put("requests", n).put("concurrency", Math.min(conc, n)).put("bytes", bytes)
          .put("seconds", round(secs, 3)).put("mibPerSec", round(bytes / MIB / secs, 1))
          .put("startUs", startUs).put("endUs", endUs).put("toolCpuS", round(cpu, 2))
          .put("errors", errs.size()).put("errorSamples", new JsonArray(errs.subList(0, Math.min(5, errs.size()))))
          .put("latencyMs", pct(ms));
      if (name.endsWith("upload")) json.put("answerAfterLastByteMs", pct(tail));
      if (print || !errs.isEmpty()) System.out.printf("%s: %d x %d bytes in %.3f s = %.1f MiB/s, latency p50 %s ms, errors %d%s%n", name, n,
          n == 0 ? 0 : res[0].bytes, secs, bytes / MIB / secs, json.getJsonObject("latencyMs").getValue("p50"),
          errs.size(), errs.isEmpty() ? "" : " " + errs.get(0));
      return Arrays.asList(res);
    }

    private CompletableFuture<Void> lane(Res[] res, int[] next) {
      int i;
      synchronized (next) {
        if (next[0] >= n) return CompletableFuture.completedFuture(null);
        i = next[0]++;
      }
      return task.apply(i).exceptionally(t -> new Res(null, 0, String.valueOf(t), 0, 0))
          .thenCompose(r -> {
            res[i] = r;
            return lane(res, next);
          });
    }
  }

  /** Uploads a generated file as user u; checks the server's size and sha256 against what was sent. */
  private CompletableFuture<Res> upload(int u, int file, long size) {
    FileBodies.Upload body = new FileBodies.Upload(file, size);
    java.util.concurrent.atomic.AtomicLong lastByte = new java.util.concurrent.atomic.AtomicLong();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/rooms/" + room + "/files"))
        .timeout(Duration.ofSeconds(timeoutS)).header("Authorization", "Bearer " + tokens.get(u))
        .header("Content-Type", "application/octet-stream")
        .POST(new Timed(body, lastByte)).build();
    long t0 = System.nanoTime();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      long t1 = System.nanoTime();
      double ms = (t1 - t0) / 1e6;
      double tail = lastByte.get() == 0 ? -1 : (t1 - lastByte.get()) / 1e6;
      if (resp.statusCode() != 201) return new Res(null, 0, resp.statusCode() + " " + resp.body(), ms, tail);
      JsonObject f = new JsonObject(resp.body()).getJsonObject("file");
      String err = f.getLong("size") != size ? "size " + f.getLong("size") + " != " + size
          : !f.getString("sha256").equals(body.sha256Hex()) ? "sha256 " + f.getString("sha256") + " != sent " + body.sha256Hex()
          : null;
      return new Res(f, size, err, ms, tail);
    });
  }

  /** Downloads an uploaded file as its uploader; checks the bytes' count and sha256 against the file object. */
  private CompletableFuture<Res> download(int u, Res up) {
    if (up == null || up.file == null) return CompletableFuture.completedFuture(new Res(null, 0, "not uploaded", 0, 0));
    JsonObject f = up.file;
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/files/" + f.getString("id")))
        .timeout(Duration.ofSeconds(timeoutS)).header("Authorization", "Bearer " + tokens.get(u)).GET().build();
    long t0 = System.nanoTime();
    HttpResponse.BodyHandler<FileBodies.Got> handler = info -> info.statusCode() == 200
        ? HttpResponse.BodySubscribers.fromSubscriber(new FileBodies.Sink(), s -> s.result().join())
        : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
            s -> new FileBodies.Got(info.statusCode(), 0, null, s));
    return http.sendAsync(req, handler).thenApply(resp -> {
      double ms = (System.nanoTime() - t0) / 1e6;
      FileBodies.Got g = resp.body();
      String err = g.error() != null ? g.status() + " " + g.error()
          : g.bytes() != f.getLong("size") ? "got " + g.bytes() + " bytes of " + f.getLong("size")
          : !g.sha256().equals(f.getString("sha256")) ? "sha256 " + g.sha256() + " != " + f.getString("sha256") : null;
      return new Res(f, g.bytes(), err, ms, 0);
    });
  }

  /** A body that notes when its last byte was handed to the client. */
  private record Timed(FileBodies.Upload body, java.util.concurrent.atomic.AtomicLong lastByte) implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> s) {
      body.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
        public void onSubscribe(java.util.concurrent.Flow.Subscription x) { s.onSubscribe(x); }
        public void onNext(java.nio.ByteBuffer b) { s.onNext(b); }
        public void onError(Throwable t) { s.onError(t); }
        public void onComplete() {
          lastByte.set(System.nanoTime());
          s.onComplete();
        }
      });
    }
  }

  private String user(String name) throws Exception {
    String cred = new JsonObject().put("username", name).put("password", PASSWORD).encode();
    json("POST", "/api/v1/auth/register", null, cred);
    return json("POST", "/api/v1/auth/login", null, cred).getString("token");
  }

  private JsonObject json(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + resp.statusCode() + " " + resp.body());
    return resp.body().isEmpty() ? new JsonObject() : new JsonObject(resp.body());
  }

  /** p50, p90, p99 and max (nearest rank) of the values, rounded to 0.1. */
  static JsonObject pct(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    JsonObject o = new JsonObject();
    for (int p : new int[] {50, 90, 99}) o.put("p" + p, round(s[Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1)], 1));
    return o.put("max", round(s[s.length - 1], 1));
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static long epochUs() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private void sleep() throws InterruptedException {
    Thread.sleep(gapMs);
  }
}
