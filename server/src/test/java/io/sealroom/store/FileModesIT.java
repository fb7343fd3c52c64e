package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.sealroom.testing.StoreJar;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's files hold password hashes, wrapped private keys and plain-room history: whatever
 * the engine, the data directory and every directory in it are 0700 and every file 0600 (checked
 * with {@link Files#getPosixFilePermissions}), including files RocksDB makes later (a flush's
 * table file, a new write-ahead log), an online backup, an offline backup, an export file, and
 * the store process's directory. A directory left looser by an earlier version is tightened at
 * start, with one log line. Tightening keeps the store's lock (a second process is refused).
 */
class FileModesIT {
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final String ADMIN = "modes-admin";
  private static final String FILLER = "x".repeat(10_000);

  @TempDir
  Path tmp;

  @Test
  void theEmbeddedStoresFilesAreOwnerOnlyAfterFlushesBackupsAndExports() throws Exception {
    Path data = tmp.resolve("data");
    try (TestNode node = TestNode.start(Map.of("store.dataDir", data.toString(), "store.cacheMb", 8,
        "auth.admins", List.of(ADMIN)))) {
      Api api = node.api();
      assertEquals(201, api.register(ADMIN, "password-" + ADMIN).status());
      String adminToken = api.login(ADMIN, "password-" + ADMIN).json().getString("token");
      Api.User alice = api.newUser("alice");
      String rid = api.createRoom(alice, "p", "modes", List.of());
      // memtables of 2 MB at store.cacheMb=8: 4 MB of messages make RocksDB flush to table files
      for (int i = 0; i < 400; i++) {
        Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", alice.token(),
            new JsonObject().put("cid", "c" + i).put("text", FILLER));
        assertEquals(201, r.status(), r.raw());
      }
      awaitFile(data.resolve("db"), ".sst");
      awaitPrivate(data, "while the node runs, after a flush");
      // tightened by path: RocksDB's lock on the directory still holds (closing a descriptor of
      // its LOCK file in this process would have dropped it)
      assertEquals(2, command(Map.of("SEALROOM_STORE_DATADIR", data.toString()), "export", "--out",
          tmp.resolve("refused.ndjson").toString()), "the running node still holds the store");
      Api.Res backup = api.post("/api/v1/admin/backups", adminToken, new JsonObject());
      assertEquals(201, backup.status(), backup.raw());
      Path copy = Path.of(backup.json().getJsonObject("backup").getString("path"));
      assertTrue(copy.startsWith(data.toAbsolutePath()), copy.toString());
      assertPrivate(copy, "an online backup");
    }
    assertPrivate(data, "after the node stopped");

    Path export = tmp.resolve("exports").resolve("all.ndjson");
    Files.createDirectories(export.getParent());
    assertEquals(0, command(Map.of("SEALROOM_STORE_DATADIR", data.toString()), "export", "--out", export.toString()));
    assertEquals(FILE, Files.getPosixFilePermissions(export), "the export file holds password hashes");
    Path offline = tmp.resolve("offline");
    assertEquals(0, command(Map.of(), "backup", "--data-dir", data.toString(), "--to", offline.toString()));
    assertPrivate(offline, "an offline backup");
    assertPrivate(data, "after the offline backup opened it");
  }

  @Test
  void aLooserDataDirectoryOfAnEarlierVersionIsTightenedAtStartWithOneLogLine() throws Exception {
    Path data = tmp.resolve("data");
    try (TestNode node = TestNode.start(Map.of("store.dataDir", data.toString()))) {
      node.api().newUser("bob");
    }
    loosen(data);
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        String m = r.getMessage();
        if (m != null && m.contains(data.toAbsolutePath().toString())) {
          lines.add(m);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try (TestNode node = TestNode.start(Map.of("store.dataDir", data.toString()))) {
      assertPrivate(data, "right after the start");
      node.api().newUser("carol");
    } finally {
      root.removeHandler(capture);
    }
    assertPrivate(data, "after the node stopped");
    assertEquals(1, lines.size(), "one log line names the directory: " + lines);
  }

  @Test
  void theStoreProcessesFilesAreOwnerOnly() throws Exception {
    Path data = tmp.resolve("store");
    Path log = tmp.resolve("store.log");
    int port = JarProcess.freePort();
    StoreJar store = StoreJar.start(port, data.toString(), log);
    try {
      // its file was tightened after it was opened: the store's lock on it still holds
      Path second = tmp.resolve("second.log");
      assertThrows(IllegalStateException.class,
          () -> StoreJar.start(JarProcess.freePort(), data.toString(), second).close());
      assertTrue(Files.readString(second).contains("locked"), Files.readString(second));
      try (TestNode node = TestNode.start(Map.of("mongo.uri", store.uri()))) {
        Api api = node.api();
        Api.User alice = api.newUser("alice");
        String rid = api.createRoom(alice, "p", "modes", List.of());
        for (int i = 0; i < 20; i++) {
          assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", alice.token(),
              new JsonObject().put("cid", "c" + i).put("text", "hello " + i)).status());
        }
        assertPrivate(data, "while the store runs");
      }
      assertEquals(143, store.terminate());
      assertPrivate(data, "after the store stopped");

      loosen(data);
      store = StoreJar.start(port, data.toString(), log);
      assertPrivate(data, "right after the store started again");
      assertTrue(Files.readString(log).contains(data.toAbsolutePath().toString()), "a log line names the directory");
    } finally {
      store.close();
    }
    assertPrivate(data, "after the store stopped again");
  }

  /** Every directory under root (root too) is 0700, every file 0600; a file removed meanwhile is skipped. */
  private static void assertPrivate(Path root, String when) throws IOException {
    List<String> wrong = wrongModes(root);
    assertTrue(wrong.isEmpty(), when + ": not owner-only under " + root + ": " + wrong);
  }

  private static void awaitPrivate(Path root, String when) throws Exception {
    long until = System.currentTimeMillis() + 10_000;
    List<String> wrong = wrongModes(root);
    while (!wrong.isEmpty() && System.currentTimeMillis() < until) {
      Thread.sleep(100);
      wrong = wrongModes(root);
    }
    assertTrue(wrong.isEmpty(), when + ": not owner-only under " + root + " after 10 s: " + wrong);
  }

  private static List<String> wrongModes(Path root) throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        try {
          if (Files.isSymbolicLink(p)) {
            continue;
          }
          boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
          if (!mode.equals(dir ? DIR : FILE)) {
            wrong.add(root.relativize(p) + (dir ? "/" : "") + " " + PosixFilePermissions.toString(mode));
          }
        } catch (NoSuchFileException gone) {
          // removed by the store meanwhile (an obsolete log or table file)
        }
      }
    }
    return wrong;
  }

  /** What an earlier version left: directories 0755, files 0644. */
  private static void loosen(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(p -> {
        try {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
              Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    assertTrue(!wrongModes(root).isEmpty());
  }

  private static void awaitFile(Path dir, String suffix) throws Exception {
    long until = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < until) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(p -> p.getFileName().toString().endsWith(suffix))) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + suffix + " file in " + dir + ": RocksDB did not flush");
  }

  private int command(Map<String, String> env, String... args) throws Exception {
    return JarProcess.run(env, tmp.resolve("command.log"), args);
  }
}
