package io.sealroom.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.SealedLists;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The verified-list routes (docs/protocol.md "The verified list"), run on each engine: revisions
 * that make concurrent writes safe, the stored form's shape, sealing to the current key version,
 * and a key reset dropping the list.
 */
abstract class VerifiedListChecks {
  static final int ITER = 1000;
  static final String PATH = "/api/v1/me/verified";

  abstract NodeExtension node();

  Api api() {
    return node().api();
  }

  record Setup(Api.User user, KeyPair pair, String ukid) {
  }

  Setup userWithKeys(String prefix) throws Exception {
    Api.User u = api().newUser(prefix);
    KeyPair pair = SealedLists.rsa();
    JsonObject body = SealedLists.keysBody(pair, ITER);
    Api.Res r = api().call("PUT", "/api/v1/e2e/keys", u.token(), body.encode());
    assertEquals(200, r.status(), r.raw());
    return new Setup(u, pair, r.json().getString("ukid"));
  }

  Api.Res put(Api.User u, Object rev, Object blob) {
    return api().call("PUT", PATH, u.token(), new JsonObject().put("rev", rev).put("blob", blob).encode());
  }

  JsonObject blob(Setup s) throws Exception {
    return SealedLists.seal(SealedLists.listOf("someoneElse000000000", "AAAAAAAAAAAAAAAA"), s.pair(), s.user().id(), s.ukid());
  }

  @Test
  void nothingStoredReadsAsRevisionZero() throws Exception {
    Setup s = userWithKeys("vl0");
    Api.Res r = api().get(PATH, s.user().token());
    assertEquals(200, r.status(), r.raw());
    assertEquals(0L, r.json().getLong("rev"));
    assertTrue(r.json().containsKey("blob") && r.json().getValue("blob") == null, r.raw());
    assertEquals(401, api().get(PATH, null).status());
  }

  @Test
  void writesNameTheRevisionTheyRead() throws Exception {
    Setup s = userWithKeys("vl1");
    JsonObject first = blob(s);
    Api.Res w = put(s.user(), 0, first);
    assertEquals(200, w.status(), w.raw());
    assertEquals(1L, w.json().getLong("rev"));
    Api.Res read = api().get(PATH, s.user().token());
    assertEquals(first, read.json().getJsonObject("blob"), "the blob comes back as stored");
    assertEquals(1L, read.json().getLong("rev"));

    Api.Res stale = put(s.user(), 0, blob(s));
    assertEquals(409, stale.status(), stale.raw());
    assertEquals("conflict", stale.errorCode());
    assertEquals(1L, stale.json().getJsonObject("error").getLong("rev"));
    assertEquals(first, api().get(PATH, s.user().token()).json().getJsonObject("blob"), "a refused write stores nothing");

    JsonObject second = blob(s);
    assertEquals(2L, put(s.user(), 1, second).json().getLong("rev"));
    assertEquals(second, api().get(PATH, s.user().token()).json().getJsonObject("blob"));
  }

  @Test
  void ofConcurrentWritesOfOneRevisionExactlyOneLands() throws Exception {
    Setup s = userWithKeys("vl2");
    assertEquals(200, put(s.user(), 0, blob(s)).status());
    List<JsonObject> blobs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      blobs.add(blob(s));
    }
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<Api.Res>> all = new ArrayList<>();
      for (JsonObject b : blobs) {
        all.add(CompletableFuture.supplyAsync(() -> put(s.user(), 1, b), pool));
      }
      int ok = 0;
      JsonObject winner = null;
      for (int i = 0; i < all.size(); i++) {
        Api.Res r = all.get(i).join();
        if (r.status() == 200) {
          ok++;
          winner = blobs.get(i);
        } else {
          assertEquals("conflict", r.errorCode(), r.raw());
        }
      }
      assertEquals(1, ok, "exactly one write of revision 1 lands");
      Api.Res read = api().get(PATH, s.user().token());
      assertEquals(2L, read.json().getLong("rev"));
      assertEquals(winner, read.json().getJsonObject("blob"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theStoredFormIsChecked() throws Exception {
    Setup s = userWithKeys("vl3");
    JsonObject good = blob(s);
    assertField(s, null, good, "rev");
    assertField(s, -1, good, "rev");
    assertField(s, "0", good, "rev");
    assertField(s, 0, "x", "blob");
    assertField(s, 0, null, "blob");
    bad(s, b -> b.put("v", 2), "blob.v");
    bad(s, b -> b.remove("v"), "blob.v");
    bad(s, b -> b.put("ukid", "short"), "blob.ukid");
    bad(s, b -> b.put("ukid", "!!!!!!!!!!!!!!!!"), "blob.ukid");
    bad(s, b -> b.put("key", "x"), "blob.key");
    bad(s, b -> b.getJsonObject("key").put("alg", "RSA-OAEP"), "blob.key.alg");
    bad(s, b -> b.getJsonObject("key").put("ct", "a+b/"), "blob.key.ct");
    bad(s, b -> b.getJsonObject("key").put("ct", "A".repeat(2049)), "blob.key.ct");
    bad(s, b -> b.getJsonObject("key").put("extra", 1), "blob.key.extra");
    bad(s, b -> b.put("iv", "AAAAAAAAAAAAAA"), "blob.iv");
    bad(s, b -> b.put("ct", "not base64!"), "blob.ct");
    bad(s, b -> b.remove("ct"), "blob.ct");
    bad(s, b -> b.put("contacts", new JsonObject()), "blob.contacts");
    Api.Res big = put(s.user(), 0, good.copy().put("ct", "A".repeat(200_000)));
    assertEquals(200, big.status(), "a large list within the body limit is stored: " + big.raw());
    Api.Res tooBig = put(s.user(), 1, good.copy().put("ct", "A".repeat(300_000)));
    assertEquals(413, tooBig.status(), tooBig.raw());
    assertEquals("too_large", tooBig.errorCode());
    assertEquals(1L, api().get(PATH, s.user().token()).json().getLong("rev"), "refusals store nothing");
  }

  @Test
  void aListMustBeSealedToTheCurrentVersion() throws Exception {
    Setup s = userWithKeys("vl4");
    Api.Res stale = put(s.user(), 0, blob(s).put("ukid", "AAAAAAAAAAAAAAAA"));
    assertEquals(409, stale.status(), stale.raw());
    assertEquals("stale_key", stale.errorCode());
    assertEquals(s.ukid(), stale.json().getJsonObject("error").getString("ukid"));
    Api.User noKeys = api().newUser("vl4n");
    Api.Res none = put(noKeys, 0, blob(s));
    assertEquals(404, none.status(), none.raw());
    assertEquals("no_keys", none.errorCode());
  }

  @Test
  void aKeyResetDropsTheList() throws Exception {
    Setup s = userWithKeys("vl5");
    assertEquals(200, put(s.user(), 0, blob(s)).status());
    Api.Res reset = api().call("DELETE", "/api/v1/e2e/keys", s.user().token(),
        new JsonObject().put("password", "password-" + s.user().username()).encode());
    assertEquals(200, reset.status(), reset.raw());
    Api.User again = new Api.User(s.user().id(), s.user().username(), reset.json().getString("token"));
    Api.Res read = api().get(PATH, again.token());
    assertNull(read.json().getValue("blob"), read.raw());
    long rev = read.json().getLong("rev");
    assertTrue(rev > 1, "the revision moved on, so a device that read the old list conflicts: " + read.raw());
    assertEquals("no_keys", put(again, rev, blob(s)).errorCode(), "without keys there is nothing to seal to");
    KeyPair pair = SealedLists.rsa();
    Api.Res up = api().call("PUT", "/api/v1/e2e/keys", again.token(), SealedLists.keysBody(pair, ITER).encode());
    Setup fresh = new Setup(again, pair, up.json().getString("ukid"));
    assertEquals("stale_key", put(again, rev, blob(s)).errorCode(), "sealed to the ended version");
    assertEquals("conflict", put(again, 1, blob(fresh)).errorCode(), "a device that read the old list conflicts");
    assertEquals(200, put(again, rev, blob(fresh)).status());
  }

  private void assertField(Setup s, Object rev, Object blob, String field) {
    Api.Res r = put(s.user(), rev, blob);
    assertEquals(400, r.status(), field + ": " + r.raw());
    assertEquals("invalid_request", r.errorCode());
    assertEquals(field, r.json().getJsonObject("error").getString("field"), r.raw());
  }

  private void bad(Setup s, Consumer<JsonObject> change, String field) throws Exception {
    JsonObject b = blob(s);
    change.accept(b);
    assertField(s, 0, b, field);
  }
}
