package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.ByteSearch;
import io.sealroom.testing.ExternalMongo;
import io.sealroom.testing.SealedLists;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server never holds whom a user verified: a verified list naming a marker contact, sealed
 * as clients seal it, leaves the marker in no file of the data directory and no collection,
 * while the same scan finds a marker username, so it is able to find one.
 */
class VerifiedListAtRestIT {
  static final int ITER = 1000;

  @TempDir
  Path tmp;

  /** Stores a list naming {@code contact}; registers a user named {@code plainName}. */
  static void store(Api api, String contact, String plainName) throws Exception {
    Api.User u = api.newUser("lister");
    KeyPair pair = SealedLists.rsa();
    Api.Res keys = api.call("PUT", "/api/v1/e2e/keys", u.token(), SealedLists.keysBody(pair, ITER).encode());
    String ukid = keys.json().getString("ukid");
    JsonObject blob = SealedLists.seal(SealedLists.listOf(contact, "AAAAAAAAAAAAAAAA"), pair, u.id(), ukid);
    Api.Res put = api.call("PUT", "/api/v1/me/verified", u.token(), new JsonObject().put("rev", 0).put("blob", blob).encode());
    assertEquals(200, put.status(), put.raw());
    assertEquals(201, api.register(plainName, "password-" + plainName).status());
  }

  @Test
  void noDataFileNamesAVerifiedContact() throws Exception {
    String contact = "vmark" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    String plain = "plain" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path data = tmp.resolve("data");
    try (TestNode node = TestNode.start(Map.of("store.dataDir", data.toString(), "e2e.minKdfIterations", ITER))) {
      store(node.api(), contact, plain);
    } // stopping commits and closes the store file
    boolean plainFound = false;
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        assertFalse(ByteSearch.contains(bytes, contact.getBytes(StandardCharsets.UTF_8)), "a verified contact in " + f);
        plainFound |= ByteSearch.contains(bytes, plain.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertTrue(plainFound, "the scan finds a username, so it can find one");
  }

  @Test
  void noCollectionNamesAVerifiedContact() throws Exception {
    String contact = "vmark" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    String plain = "plain" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (ExternalMongo mongo = ExternalMongo.start();
        TestNode node = TestNode.start(Map.of("mongo.uri", mongo.uri(), "e2e.minKdfIterations", ITER))) {
      store(node.api(), contact, plain);
      boolean plainFound = false;
      for (String coll : List.of("users", "rooms", "subscriptions", "messages")) {
        for (JsonObject doc : mongo.find(coll, new JsonObject())) {
          assertFalse(doc.encode().contains(contact), "a verified contact in " + coll);
          plainFound |= doc.encode().contains(plain);
        }
      }
      assertTrue(plainFound);
    }
  }
}
