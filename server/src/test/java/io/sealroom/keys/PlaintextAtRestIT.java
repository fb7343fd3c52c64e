package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.ExternalMongo;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No plaintext at rest: a marker sent through an encrypted room (encrypted the way clients do)
 * appears in no file of the data directory and no collection; the same scan finds a marker
 * sent in a plain room, so it is able to find one.
 */
class PlaintextAtRestIT {
  static final int ITER = 1000;

  @TempDir
  Path tmp;

  /** Sends secretMarker encrypted in one room and plainMarker in a plain room. */
  static void sendBoth(Api api, String secretMarker, String plainMarker) throws Exception {
    Api.User u = api.newUser("marker");
    api.call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(ITER).encode());
    String enc = api.post("/api/v1/rooms", u.token(), new JsonObject().put("type", "p").put("name", "enc")
        .put("encrypted", true)).json().getString("id");
    byte[] roomKey = E2eShapes.random(32);
    String kid = E2eShapes.b64(MessageDigest.getInstance("SHA-256").digest(roomKey)).substring(0, 16);
    assertEquals(200, api.post("/api/v1/rooms/" + enc + "/e2e/key-id", u.token(),
        new JsonObject().put("kid", kid).put("key", E2eShapes.memberKey(kid))).status());
    byte[] iv = E2eShapes.random(12);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(roomKey, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD((enc + "|" + u.id() + "|c1").getBytes(StandardCharsets.UTF_8));
    byte[] ct = gcm.doFinal(new JsonObject().put("text", secretMarker).encode().getBytes(StandardCharsets.UTF_8));
    JsonObject e2e = new JsonObject().put("kid", kid).put("iv", E2eShapes.b64(iv)).put("ct", E2eShapes.b64(ct));
    assertEquals(201, api.post("/api/v1/rooms/" + enc + "/messages", u.token(),
        new JsonObject().put("cid", "c1").put("e2e", e2e)).status());
    assertEquals("plaintext_not_allowed", api.post("/api/v1/rooms/" + enc + "/messages", u.token(),
        new JsonObject().put("cid", "c2").put("text", secretMarker)).errorCode());
    String plain = api.createRoom(u, "p", "plain", List.of());
    assertEquals(201, api.post("/api/v1/rooms/" + plain + "/messages", u.token(),
        new JsonObject().put("cid", "c3").put("text", plainMarker)).status());
    assertTrue(api.get("/api/v1/search?q=" + secretMarker, u.token()).json().getJsonArray("messages").isEmpty());
  }

  @Test
  void noDataFileHoldsTheEncryptedMarker() throws Exception {
    String secret = "secret" + UUID.randomUUID().toString().replace("-", "");
    String plain = "plain" + UUID.randomUUID().toString().replace("-", "");
    Path data = tmp.resolve("data");
    try (TestNode node = TestNode.start(Map.of("store.dataDir", data.toString(), "e2e.minKdfIterations", ITER))) {
      sendBoth(node.api(), secret, plain);
    } // stopping commits and closes the store file
    byte[] s = secret.getBytes(StandardCharsets.UTF_8);
    byte[] p = plain.getBytes(StandardCharsets.UTF_8);
    boolean plainFound = false;
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        assertFalse(io.sealroom.testing.ByteSearch.contains(bytes, s), "plaintext of an encrypted message in " + f);
        plainFound |= io.sealroom.testing.ByteSearch.contains(bytes, p);
      }
    }
    assertTrue(plainFound, "the scan finds a plain-room marker, so it can find one");
  }

  @Test
  void noCollectionHoldsTheEncryptedMarker() throws Exception {
    String secret = "secret" + UUID.randomUUID().toString().replace("-", "");
    String plain = "plain" + UUID.randomUUID().toString().replace("-", "");
    try (ExternalMongo mongo = ExternalMongo.start();
        TestNode node = TestNode.start(Map.of("mongo.uri", mongo.uri(), "e2e.minKdfIterations", ITER))) {
      sendBoth(node.api(), secret, plain);
      boolean plainFound = false;
      for (String coll : List.of("users", "rooms", "subscriptions", "messages")) {
        for (JsonObject doc : mongo.find(coll, new JsonObject())) {
          String all = doc.encode();
          assertFalse(all.contains(secret), "plaintext of an encrypted message in " + coll);
          plainFound |= all.contains(plain);
        }
      }
      assertTrue(plainFound);
    }
  }
}
