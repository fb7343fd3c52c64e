package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.ExternalMongo;
import io.sealroom.testing.JarProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data commands of the packaged jar: export -> import -> export gives the same lines from
 * RocksDB to MongoDB (its test double) and back, a node on the imported store serves the same
 * users, keys, rooms and history, and the refusals exit 2 with one line.
 */
class ExportImportIT {
  private static final int ITER = 1000;

  @TempDir
  Path tmp;

  @Test
  void roundTripFromRocksDbToMongoDbAndBackGivesTheSameLines() throws Exception {
    Path rocks = tmp.resolve("rocks");
    Fixture f = fill(rocks);
    Path first = tmp.resolve("first.ndjson");
    assertEquals(0, command(Map.of("SEALROOM_STORE_DATADIR", rocks.toString()), "export", "--out", first.toString()));
    List<String> lines = Files.readAllLines(first, StandardCharsets.UTF_8);
    assertEquals("{\"format\":\"sealroom-export\",\"version\":1}", lines.get(0));
    assertEquals(1 + 2 + 1 + 2 + 2 + 5 + 1 + 2, lines.size(),
        "header, users, room, memberships, the room's creation events and messages, the key log's head and two leaves");
    assertTrue(lines.stream().noneMatch(l -> l.contains("secret plaintext")), "ciphertext stays ciphertext");

    try (ExternalMongo mongo = ExternalMongo.start()) {
      Map<String, String> onMongo = Map.of("SEALROOM_MONGO_URI", mongo.uri(), "SEALROOM_STORE_DATADIR", rocks.toString());
      assertEquals(0, command(onMongo, "import", "--in", first.toString()));
      Path second = tmp.resolve("second.ndjson");
      assertEquals(0, command(onMongo, "export", "--out", second.toString()));
      assertEquals(lines, Files.readAllLines(second, StandardCharsets.UTF_8), "RocksDB -> MongoDB keeps every line");
      assertEquals(2, command(onMongo, "import", "--in", first.toString()), "a store that holds data is refused");

      Path back = tmp.resolve("back");
      Map<String, String> onBack = Map.of("SEALROOM_STORE_DATADIR", back.toString());
      assertEquals(0, command(onBack, "import", "--in", second.toString()));
      Path third = tmp.resolve("third.ndjson");
      assertEquals(0, command(onBack, "export", "--out", third.toString()));
      assertEquals(lines, Files.readAllLines(third, StandardCharsets.UTF_8), "and back to RocksDB");
      Files.copy(rocks.resolve("jwt-es256.pem"), back.resolve("jwt-es256.pem"));
      try (JarProcess node = JarProcess.start(JarProcess.freePort(), onBack, tmp.resolve("back.log"))) {
        f.check(new Api(node.baseUrl()));
      }
    }
  }

  @Test
  void refusesAnotherFormatVersionAndARunningNode() throws Exception {
    Path data = tmp.resolve("data");
    Path newer = tmp.resolve("newer.ndjson");
    Files.writeString(newer, "{\"format\":\"sealroom-export\",\"version\":2}\n");
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", data.toString());
    assertEquals(2, command(env, "import", "--in", newer.toString()));
    Files.writeString(newer, "{\"users\":1}\n");
    assertEquals(2, command(env, "import", "--in", newer.toString()));
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("node.log"))) {
      assertEquals(2, command(env, "export", "--out", tmp.resolve("x.ndjson").toString()), "the node holds the store");
      assertEquals(2, command(Map.of(), "backup", "--data-dir", data.toString(), "--to", tmp.resolve("copy").toString()));
    }
    assertTrue(Files.readString(tmp.resolve("command.log")).contains("in use by another running node"));
  }

  @Test
  void offlineBackupIsADataDirectoryOfItsOwn() throws Exception {
    Path data = tmp.resolve("data");
    Fixture f = fill(data);
    Path copy = tmp.resolve("copy");
    assertEquals(0, command(Map.of(), "backup", "--data-dir", data.toString(), "--to", copy.toString()));
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), Map.of("SEALROOM_STORE_DATADIR", copy.toString()),
        tmp.resolve("copy.log"))) {
      f.check(new Api(node.baseUrl()));
    }
  }

  /** What {@link #fill} stored, and how to find it again. */
  record Fixture(Api.User alice, Api.User bob, String rid, String kid, JsonObject aliceKeys, JsonObject head) {
    void check(Api api) {
      JsonObject now = api.get("/api/v1/kt/head", null).json();
      assertEquals(head.getLong("size"), now.getLong("size"), "the key log moved: " + now);
      assertEquals(head.getString("root"), now.getString("root"), "the key log keeps its root");
      assertEquals(head.getJsonObject("logKey"), now.getJsonObject("logKey"), "and its signing key, which clients pinned");
      assertEquals(200, api.login(alice.username(), "password-" + alice.username()).status(), "passwords kept");
      JsonObject keys = api.get("/api/v1/e2e/keys", alice.token()).json();
      assertEquals(aliceKeys.getJsonObject("privateKey"), keys.getJsonObject("privateKey"), "wrapped key kept");
      JsonObject room = api.get("/api/v1/rooms/" + rid, bob.token()).json();
      assertEquals(kid, room.getString("e2eKeyId"));
      assertEquals(2, room.getJsonArray("members").size());
      JsonObject page = api.get("/api/v1/rooms/" + rid + "/messages", bob.token()).json();
      assertEquals(7, page.getLong("head"), "room.created, encryption.enabled and five messages");
      assertEquals(7, page.getJsonArray("messages").size());
      assertEquals("room.created", page.getJsonArray("messages").getJsonObject(0).getJsonObject("event").getString("type"));
      io.vertx.core.json.JsonArray versions = api.get("/api/v1/users/" + alice.id() + "/keys/history", bob.token()).json()
          .getJsonArray("keys");
      assertEquals(1, versions.size(), "key versions kept: " + versions);
      assertEquals(keys.getString("ukid"), versions.getJsonObject(0).getString("ukid"));
      assertEquals(kid, api.get("/api/v1/rooms/" + rid + "/e2e/key", bob.token()).json().getString("kid"));
      Api.Res more = api.post("/api/v1/rooms/" + rid + "/messages", bob.token(),
          new JsonObject().put("cid", "after").put("e2e", e2e(kid)));
      assertEquals(8, more.json().getLong("seq"), "numbering goes on without a gap");
    }
  }

  /** A node on dataDir: two users with keys, an encrypted room with its key handed over, five messages. */
  private Fixture fill(Path dataDir) throws Exception {
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", dataDir.toString(),
        "SEALROOM_E2E_MINKDFITERATIONS", String.valueOf(ITER));
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, tmp.resolve("fill.log"))) {
      Api api = new Api(node.baseUrl());
      Api.User alice = api.newUser("alice");
      Api.User bob = api.newUser("bob");
      JsonObject aliceKeys = E2eShapes.keysBody(ITER);
      assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", alice.token(), aliceKeys.encode()).status());
      assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", bob.token(), E2eShapes.keysBody(ITER).encode()).status());
      String rid = api.post("/api/v1/rooms", alice.token(), new JsonObject().put("type", "p").put("name", "vault")
          .put("encrypted", true).put("members", new JsonArray().add(bob.username()))).json().getString("id");
      String kid = E2eShapes.kid();
      assertEquals(200, api.post("/api/v1/rooms/" + rid + "/e2e/key-id", alice.token(),
          new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
      assertEquals(1, api.post("/api/v1/rooms/" + rid + "/e2e/keys", alice.token(), new JsonObject().put("keys",
          new JsonArray().add(new JsonObject().put("userId", bob.id()).put("key", E2eShapes.memberKey(kid)))))
          .json().getInteger("stored"));
      for (int i = 1; i <= 5; i++) {
        assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", (i % 2 == 0 ? bob : alice).token(),
            new JsonObject().put("cid", "m" + i).put("e2e", e2e(kid))).status());
      }
      JsonObject head = api.get("/api/v1/kt/head", null).json();
      assertEquals(2, head.getLong("size"), "both key versions are logged");
      return new Fixture(alice, bob, rid, kid, aliceKeys, head);
    }
  }

  private static JsonObject e2e(String kid) {
    return new JsonObject().put("kid", kid).put("iv", E2eShapes.b64(E2eShapes.random(12)))
        .put("ct", E2eShapes.b64(E2eShapes.random(64)));
  }

  /** Runs {@code java -jar sealroom.jar ARGS} with these variables; its exit status. */
  private int command(Map<String, String> env, String... args) throws Exception {
    return JarProcess.run(env, tmp.resolve("command.log"), args);
  }
}
