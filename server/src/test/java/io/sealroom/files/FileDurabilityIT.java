package io.sealroom.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node as an operator runs it (the jar, a data directory): a 200 MB upload and download
 * through a node whose heap is capped at 48 MB (so nothing holds a file whole), and a file
 * acknowledged just before a kill -9 that is there after the restart.
 */
class FileDurabilityIT {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir
  Path tmp;

  /** n deterministic pseudo-random bytes, generated as they are read, and their SHA-256 once read. */
  static final class Generated extends InputStream {
    private final Random random;
    private final MessageDigest sha;
    private long left;

    Generated(long n, long seed) throws Exception {
      this.random = new Random(seed);
      this.sha = MessageDigest.getInstance("SHA-256");
      this.left = n;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      sha.update(chunk);
      left -= n;
      return n;
    }

    private String hex;

    /** The SHA-256 of what was read (call after the end). */
    String sha256() {
      if (hex == null) {
        hex = HexFormat.of().formatHex(sha.digest());
      }
      return hex;
    }
  }

  static JsonObject upload(String base, Api.User u, String rid, Generated body, long length) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms/" + rid + "/files?name=big.bin"))
        .header("Authorization", "Bearer " + u.token()).timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length))
        .build();
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonObject("file");
  }

  /** The SHA-256 and length of a download, read as a stream. */
  static String downloadSha(String base, Api.User u, String fid, long[] length) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/files/" + fid))
        .header("Authorization", "Bearer " + u.token()).timeout(Duration.ofMinutes(5)).GET().build();
    HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    try (InputStream in = r.body()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        length[0] += n;
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void twoHundredMegabytesPassThroughA48MegabyteHeapBothWays() throws Exception {
    long size = 200L * 1024 * 1024;
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", tmp.resolve("data").toString(),
        "SEALROOM_FILES_MAXBYTES", String.valueOf(size), "JAVA_TOOL_OPTIONS", "-Xmx48m -XX:+UseSerialGC");
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("node.log"))) {
      Api api = new Api(node.baseUrl());
      Api.User u = api.newUser("big");
      String rid = api.createRoom(u, "p", "big", List.of());
      Generated body = new Generated(size, 42);
      JsonObject f = upload(node.baseUrl(), u, rid, body, size);
      assertEquals(size, f.getLong("size"));
      assertEquals(body.sha256(), f.getString("sha256"));
      long[] length = {0};
      assertEquals(body.sha256(), downloadSha(node.baseUrl(), u, f.getString("id"), length));
      assertEquals(size, length[0]);
      assertTrue(node.process().isAlive(), "no OutOfMemoryError: " + JarProcess.tail(tmp.resolve("node.log"), 5));
      assertTrue(!Files.readString(tmp.resolve("node.log")).contains("OutOfMemoryError"));
    }
  }

  @Test
  void aFileAcknowledgedBeforeAKillIsThereAfterTheRestart() throws Exception {
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", tmp.resolve("data").toString());
    Api.User u;
    String fid;
    String sha;
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("node.log"))) {
      Api api = new Api(node.baseUrl());
      u = api.newUser("kill");
      String rid = api.createRoom(u, "p", "kill", List.of());
      Generated body = new Generated(5_000_000, 7);
      JsonObject f = upload(node.baseUrl(), u, rid, body, 5_000_000);
      node.kill9(); // right after the 201
      fid = f.getString("id");
      sha = body.sha256();
    }
    try (JarProcess again = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("again.log"))) {
      Api api = new Api(again.baseUrl());
      Api.Res login = api.login(u.username(), "password-" + u.username());
      Api.User back = new Api.User(u.id(), u.username(), login.json().getString("token"));
      long[] length = {0};
      assertEquals(sha, downloadSha(again.baseUrl(), back, fid, length));
      assertEquals(5_000_000, length[0]);
    }
    try (var parts = Files.list(tmp.resolve("data").resolve("files").resolve("tmp"))) {
      assertEquals(0, parts.count(), "no part file left");
    }
  }
}
