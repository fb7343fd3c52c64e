package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-transparency client against an in-memory log that tells the truth, then lies in each way. */
class KeyTransparencyTest {
  FakeLog log;
  KeyTransparency kt;

  @BeforeEach
  void log() {
    log = new FakeLog();
    for (int i = 0; i < 12; i++) {
      log.add("u" + i, "ukid-of-u" + i + "-00");
    }
    log.add("bob", "BobsRealUkid0000");
    kt = new KeyTransparency(log::get, null);
  }

  KeyTransparencyException refused(String uid, String ukid) {
    return assertThrows(KeyTransparencyException.class, () -> kt.prove(uid, uid, ukid));
  }

  @Test
  void aLoggedVersionIsProvenOnceAndRemembered() {
    kt.prove("bob", "bob", "BobsRealUkid0000");
    int requests = log.requests.size();
    kt.prove("bob", "bob", "BobsRealUkid0000");
    assertEquals(requests, log.requests.size(), "a proven version is not asked again");
    assertEquals(13, kt.kept().size());
    kt.prove("u5", "u5", "ukid-of-u5-00");
  }

  @Test
  void aVersionNotInTheLogIsRefusedNamingTheUser() {
    KeyTransparencyException e = refused("bob", "SubstitutedKey00");
    assertTrue(e.getMessage().startsWith("The server could not prove that these are bob's keys"), e.getMessage());
    assertEquals("bob", e.userId());
    assertEquals(KeyTransparencyException.CODE, e.code());
  }

  @Test
  void aValidProofOfAnotherUsersOrVersionsLeafIsRefused() {
    // the server answers bob's question with a true proof of a leaf it really has, but not bob's
    log.proofHook = p -> realProof(3);
    refused("bob", "BobsRealUkid0000");
    // a leaf whose ukid merely starts with bob's: the separator after the ukid matters
    log.add("bob", "BobsRealUkid0000X");
    log.proofHook = p -> realProof(log.leaves.size() - 1);
    refused("bob", "BobsRealUkid0000");
    log.proofHook = p -> p;
    kt.prove("bob", "bob", "BobsRealUkid0000");
  }

  /** The honest proof of leaf i in the whole log. */
  JsonObject realProof(int i) {
    int n = log.leaves.size();
    return new JsonObject().put("index", i).put("leaf", log.leaves.get(i)).put("size", n)
        .put("path", FakeLog.b64(log.tree().inclusion(i, n)));
  }

  @Test
  void aRewrittenLeafOrPathFails() {
    log.proofHook = p -> p.put("leaf", p.getString("leaf") + "0");
    refused("bob", "BobsRealUkid0000");
    log.proofHook = p -> p.put("index", 11);
    refused("bob", "BobsRealUkid0000");
    log.proofHook = p -> {
      JsonArray path = p.getJsonArray("path");
      byte[] first = B64.decode(path.getString(0));
      first[0] ^= 1;
      JsonArray bad = new JsonArray().add(B64.encode(first));
      for (int i = 1; i < path.size(); i++) {
        bad.add(path.getString(i));
      }
      return p.put("path", bad);
    };
    refused("bob", "BobsRealUkid0000");
    log.proofHook = p -> p.put("path", new JsonArray().add("not base64!"));
    refused("bob", "BobsRealUkid0000");
  }

  @Test
  void aBadSignatureOrAnotherLogKeyIsRefused() {
    log.headHook = h -> h.put("ts", h.getLong("ts") + 1); // the signature no longer covers it
    refused("bob", "BobsRealUkid0000");
    log.headHook = h -> h;
    kt.prove("u1", "u1", "ukid-of-u1-00"); // pins the log key
    log.logKey = FakeLog.newKey(); // a validly signed head under another key
    KeyTransparencyException e = refused("bob", "BobsRealUkid0000");
    assertTrue(e.getMessage().contains("another key"), e.getMessage());
  }

  @Test
  void aSmallerHeadOrAnotherRootAtTheSameSizeIsAFork() {
    kt.prove("u1", "u1", "ukid-of-u1-00");
    log.servedSize = 12;
    assertTrue(refused("u2", "ukid-of-u2-00").getMessage().contains("fork"));
    log.servedSize = null;
    // same size, another root: the log rewrote leaf 3 and signed the result
    log.leaves.set(3, "u3|SubstitutedKey00|1");
    assertTrue(refused("bob", "BobsRealUkid0000").getMessage().contains("two roots"));
  }

  @Test
  void aGrowingLogIsCheckedForConsistency() {
    kt.prove("u1", "u1", "ukid-of-u1-00");
    log.add("carol", "CarolsUkid000000");
    kt.prove("carol", "carol", "CarolsUkid000000");
    assertEquals(14, kt.kept().size());
    // a log that grew but rewrote history: the consistency proof cannot hold
    log.leaves.set(0, "u0|SubstitutedKey00|1");
    log.add("dave", "DavesUkid0000000");
    KeyTransparencyException e = refused("dave", "DavesUkid0000000");
    assertTrue(e.getMessage().contains("does not extend"), e.getMessage());
    assertEquals(14, kt.kept().size(), "a refused head is not kept");
  }

  @Test
  void theStateFileKeepsTheHeadAcrossRestarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kt-state.json");
    KeyTransparency first = new KeyTransparency(log::get, file);
    first.prove("bob", "bob", "BobsRealUkid0000");
    JsonObject saved = new JsonObject(Files.readString(file));
    assertEquals(13L, saved.getJsonObject("head").getLong("size"));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "the temporary file was moved into place");
    }
    log.servedSize = 10; // a restarted client is shown an older tree: a fork
    KeyTransparency restarted = new KeyTransparency(log::get, file);
    assertThrows(KeyTransparencyException.class, () -> restarted.prove("u1", "u1", "ukid-of-u1-00"));
    log.servedSize = null;
    log.logKey = FakeLog.newKey();
    KeyTransparency again = new KeyTransparency(log::get, file);
    assertThrows(KeyTransparencyException.class, () -> again.prove("u1", "u1", "ukid-of-u1-00"),
        "the log key pinned in the file holds after a restart");
    Files.writeString(file, "{not json");
    SealroomException e = assertThrows(SealroomException.class, () -> new KeyTransparency(log::get, file));
    assertEquals("kt_state", e.code());
  }

  @Test
  void anUnreachableLogIsAFailureNotAPass() {
    KeyTransparency down = new KeyTransparency(p -> {
      throw new SealroomException("io", "connection refused");
    }, null);
    assertThrows(KeyTransparencyException.class, () -> down.prove("bob", "bob", "BobsRealUkid0000"));
    assertThrows(KeyTransparencyException.class, () -> kt.prove("bob", "bob", null));
    assertDoesNotThrow(() -> kt.prove("bob", "bob", "BobsRealUkid0000"));
  }
}
