package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the embedded store's disk, on the packaged node:
 * <ul>
 *   <li>a full disk: sends are refused with unavailable while nothing can be written, nothing
 *       acknowledged is lost, and the node takes writes again by itself once there is room (the
 *       refused send retried with its cid is stored); made with a small tmpfs, so it needs root
 *       and mount (skipped, saying so, where the machine does not allow it);</li>
 *   <li>a write-ahead log torn at its tail (kill -9 in the middle of a write): the node starts,
 *       every acknowledged message is there and the numbering goes on.</li>
 * </ul>
 */
class StoreFaultsIT {
  private static final String FILLER = "x".repeat(3000);

  @TempDir
  Path tmp;

  @Test
  void aFullDiskRefusesSendsLosesNothingAndRecoversByItself() throws Exception {
    Path mount = tmp.resolve("small");
    Files.createDirectories(mount);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mount.toString()) == 0,
        "cannot mount a small tmpfs here (needs root): the full-disk test did not run");
    try {
      Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", mount.resolve("data").toString(),
          "SEALROOM_STORE_CACHEMB", "16");
      Map<String, Long> acked = new LinkedHashMap<>();
      String refused = null;
      Api.User alice;
      String rid;
      try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("node.log"))) {
        Api api = new Api(node.baseUrl());
        alice = api.newUser("alice");
        rid = api.createRoom(alice, "p", "full", List.of());
        Path filler = mount.resolve("filler");
        fill(filler);
        for (int i = 0; i < 4000 && refused == null; i++) {
          Api.Res r = send(api, alice, rid, "c" + i);
          if (r.status() == 201) {
            acked.put("c" + i, r.json().getLong("seq"));
          } else {
            assertEquals("unavailable", r.errorCode(), r.raw());
            refused = "c" + i;
          }
        }
        assertTrue(refused != null, "a full disk refuses a send");
        assertEquals("unavailable", send(api, alice, rid, "c-more").errorCode(), "and goes on refusing while full");
        Files.delete(filler);
        Api.Res retried = null;
        for (int i = 0; i < 100 && (retried == null || retried.status() != 201); i++) {
          retried = send(api, alice, rid, refused);
          Thread.sleep(100);
        }
        assertEquals(201, retried.status(), "the node writes again by itself: " + retried.raw());
        acked.put(refused, retried.json().getLong("seq"));
        node.kill9();
      }
      try (JarProcess again = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("again.log"))) {
        assertAllThere(new Api(again.baseUrl()), alice, rid, acked);
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aWalTornAtItsTailIsRecoveredWithEverythingAcknowledged() throws Exception {
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", data.toString());
    Map<String, Long> acked = new LinkedHashMap<>();
    Api.User alice;
    String rid;
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("node.log"))) {
      Api api = new Api(node.baseUrl());
      alice = api.newUser("alice");
      rid = api.createRoom(alice, "p", "torn", List.of());
      for (int i = 0; i < 50; i++) {
        Api.Res r = send(api, alice, rid, "c" + i);
        assertEquals(201, r.status(), r.raw());
        acked.put("c" + i, r.json().getLong("seq"));
      }
      node.kill9();
    }
    Path wal;
    try (Stream<Path> files = Files.list(data.resolve("db"))) {
      wal = files.filter(p -> p.getFileName().toString().endsWith(".log"))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
    }
    byte[] half = new byte[700];
    new SecureRandom().nextBytes(half);
    Files.write(wal, half, StandardOpenOption.APPEND); // a record cut short, as a crash mid-write leaves it
    try (JarProcess again = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("again.log"))) {
      Api api = new Api(again.baseUrl());
      assertAllThere(api, alice, rid, acked);
      Api.Res next = send(api, alice, rid, "after");
      // room.created is seq 1
      assertEquals(acked.size() + 2, next.json().getLong("seq"), "numbering goes on: " + next.raw());
    }
  }

  private static Api.Res send(Api api, Api.User u, String rid, String cid) {
    return api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", FILLER));
  }

  private static void assertAllThere(Api api, Api.User u, String rid, Map<String, Long> acked) {
    List<JsonObject> stored = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonArray page = api.get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=100", u.token()).json()
          .getJsonArray("messages");
      if (page.isEmpty()) {
        break;
      }
      page.forEach(m -> stored.add((JsonObject) m));
      after = stored.get(stored.size() - 1).getLong("seq");
    }
    Map<String, Long> found = new LinkedHashMap<>();
    for (int i = 0; i < stored.size(); i++) {
      assertEquals(i + 1, stored.get(i).getLong("seq"), "no gap");
      found.put(stored.get(i).getString("cid"), stored.get(i).getLong("seq"));
    }
    acked.forEach((cid, seq) -> assertEquals(seq, found.get(cid), "acknowledged " + cid + " is there"));
  }

  /** Writes to the file until the file system is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // no space left: what we wanted
    }
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
