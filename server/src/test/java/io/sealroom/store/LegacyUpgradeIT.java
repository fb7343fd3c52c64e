package io.sealroom.store;

import io.sealroom.store.process.EmbeddedMongo;
import io.sealroom.store.mongo.Indexes;
import io.sealroom.store.mongo.MongoStores;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.auth.PasswordHasher;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomType;
import io.sealroom.rooms.Membership;
import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.JarProcess;
import io.sealroom.users.User;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by the previous release (its embedded store: mongo-java-server's H2
 * file sealroom.mv, written through the MongoDB stores exactly as that release's node did) is
 * moved into RocksDB by the first node that starts on it: every user, key, room, membership, room
 * key and message is there, the numbering goes on, the old file is kept under another name, and
 * one log line says so. A second start does nothing more.
 */
class LegacyUpgradeIT {
  private static final int ITER = 1000;
  private static final String PASSWORD = "correct horse battery";

  @TempDir
  Path tmp;

  @Test
  void aNodeMovesAnEarlierVersionsStoreIntoRocksDbOnce() throws Exception {
    Path data = tmp.resolve("data");
    Old old = writeOldStore(data);
    assertTrue(Files.isRegularFile(data.resolve("sealroom.mv")));
    Path log = tmp.resolve("node.log");
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", data.toString(),
        "SEALROOM_E2E_MINKDFITERATIONS", String.valueOf(ITER));
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), env, log)) {
      Api api = new Api(node.baseUrl());
      String token = api.login("alice", PASSWORD).json().getString("token");
      String bobToken = api.login("bob", PASSWORD).json().getString("token");
      assertEquals(old.aliceKeys.privateKey().ct(),
          api.get("/api/v1/e2e/keys", token).json().getJsonObject("privateKey").getString("ct"));
      JsonObject room = api.get("/api/v1/rooms/" + old.rid, token).json();
      assertEquals("old-room", room.getString("name"));
      assertEquals(old.kid, room.getString("e2eKeyId"));
      assertEquals(2, room.getJsonArray("members").size());
      assertEquals(old.kid, api.get("/api/v1/rooms/" + old.rid + "/e2e/key", bobToken).json().getString("kid"));
      JsonObject page = api.get("/api/v1/rooms/" + old.rid + "/messages?limit=100", token).json();
      assertEquals(old.messages, page.getLong("head"));
      assertEquals(old.messages, page.getJsonArray("messages").size());
      Api.Res next = api.post("/api/v1/rooms/" + old.rid + "/messages", bobToken, new JsonObject().put("cid", "new")
          .put("e2e", new JsonObject().put("kid", old.kid).put("iv", E2eShapes.b64(E2eShapes.random(12)))
              .put("ct", E2eShapes.b64(E2eShapes.random(40)))));
      assertEquals(old.messages + 1, next.json().getLong("seq"), next.raw());
    }
    assertFalse(Files.exists(data.resolve("sealroom.mv")), "the old file is renamed");
    assertTrue(Files.isRegularFile(data.resolve("sealroom.mv.before-rocksdb")), "and kept");
    try (JarProcess again = JarProcess.start(JarProcess.freePort(), env, log)) {
      Api api = new Api(again.baseUrl());
      String token = api.login("alice", PASSWORD).json().getString("token");
      assertEquals(old.messages + 1, api.get("/api/v1/rooms/" + old.rid + "/messages", token).json().getLong("head"));
    }
    String said = Files.readString(log);
    assertTrue(said.contains("store upgraded: moved 2 users, 1 rooms, 2 memberships and 40 messages"), said);
    assertEquals(said.indexOf("store upgraded"), said.lastIndexOf("store upgraded"), "once");
  }

  record Old(String rid, String kid, UserKeys aliceKeys, long messages) {
  }

  /** The previous release's node wrote its store this way: mongo-java-server on H2 and the MongoDB stores. */
  private Old writeOldStore(Path data) throws Exception {
    Files.createDirectories(data);
    Vertx vertx = Vertx.vertx();
    EmbeddedMongo server = EmbeddedMongo.start(data.toString());
    MongoClient client = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", server.connectionString()).put("db_name", "sealroom"));
    try {
      Indexes.ensure(client, true).await(30, TimeUnit.SECONDS);
      MongoStores stores = new MongoStores(client);
      PasswordHasher hasher = new PasswordHasher(new Config.Argon2(64, 1, 1));
      long now = System.currentTimeMillis();
      // user ids of the shape every release made (a token's sub must have it)
      User alice = new User(Ids.newId(), "alice", hasher.hash(PASSWORD), List.of("user"), now);
      User bob = new User(Ids.newId(), "bob", hasher.hash(PASSWORD), List.of("user"), now);
      stores.users().insert(alice).await(10, TimeUnit.SECONDS);
      stores.users().insert(bob).await(10, TimeUnit.SECONDS);
      UserKeys keys = new UserKeys(new RsaPublicJwk(E2eShapes.rsaPublicJwk(2048).getString("n"), "AQAB"),
          new WrappedPrivateKey(1, "PBKDF2-SHA256", ITER, E2eShapes.b64(E2eShapes.random(16)), "A256GCM",
              E2eShapes.b64(E2eShapes.random(12)), E2eShapes.b64(E2eShapes.random(300))),
          new SigningJwk(E2eShapes.signingJwk().getString("x")), now);
      assertTrue(stores.keys().put(alice.id(), keys, "").await(10, TimeUnit.SECONDS));
      String rid = "r-old";
      stores.rooms().insertRoom(new Room(rid, RoomType.PRIVATE, "old-room", alice.id(), true, null, false, 0, now, null))
          .await(10, TimeUnit.SECONDS);
      stores.rooms().upsertMemberships(List.of(
          new Membership(rid, alice.id(), "alice", Membership.Role.OWNER, now, null),
          new Membership(rid, bob.id(), "bob", Membership.Role.MEMBER, now, null))).await(10, TimeUnit.SECONDS);
      String kid = E2eShapes.kid();
      stores.roomKeys().establish(rid, kid).await(10, TimeUnit.SECONDS);
      for (String uid : List.of(alice.id(), bob.id())) {
        JsonObject mk = E2eShapes.memberKey(kid);
        stores.roomKeys().setKey(rid, uid, new MemberKey(kid, mk.getString("alg"), mk.getString("ct")))
            .await(10, TimeUnit.SECONDS);
      }
      List<Message> batch = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        batch.add(new Message("mid-" + i, rid, i, i % 2 == 0 ? bob.id() : alice.id(), i % 2 == 0 ? "bob" : "alice",
            now + i, "c" + i, null, new E2ePayload(kid, E2eShapes.b64(E2eShapes.random(12)),
                E2eShapes.b64(E2eShapes.random(50)), null)));
      }
      stores.messages().insertOrdered(batch).await(10, TimeUnit.SECONDS);
      stores.messages().raiseHeads(Map.of(rid, 40L)).await(10, TimeUnit.SECONDS);
      return new Old(rid, kid, keys, 40);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
      server.stop();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
