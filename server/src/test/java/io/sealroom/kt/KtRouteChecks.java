package io.sealroom.kt;

import static io.sealroom.kt.KtHttp.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key-transparency routes (docs/protocol.md, "The key-transparency log") over HTTP, on the
 * engine of the subclass's node ({@link KtIT}: embedded, {@link MongoKtIT}: MongoDB): every
 * uploaded version is provably in the signed head, heads stay consistent, leaves page, and every
 * error of the contract is answered as it says. No request carries a token.
 */
abstract class KtRouteChecks {
  abstract NodeExtension node();

  Api api() {
    return node().api();
  }

  @Test
  void everyUploadedVersionIsProvablyInTheSignedHead() {
    Api.User alice = api().newUser("alice");
    String a1 = KtHttp.uploadKeys(api(), alice);
    JsonObject before = KtHttp.head(api());
    Api.User bob = api().newUser("bob");
    String b1 = KtHttp.uploadKeys(api(), bob);
    bob = new Api.User(bob.id(), bob.username(), KtHttp.reset(api(), bob));
    String b2 = KtHttp.uploadKeys(api(), bob);
    assertNotEquals(b1, b2);
    JsonObject after = KtHttp.head(api());
    assertTrue(after.getLong("size") >= before.getLong("size") + 2, after.encode());
    assertEquals(before.getJsonObject("logKey"), after.getJsonObject("logKey"), "one log key");
    JsonObject pa = KtHttp.verifiedProof(api(), after, alice.id(), a1);
    assertTrue(pa.getLong("index") < before.getLong("size"), "alice was logged before the first head");
    long i1 = KtHttp.verifiedProof(api(), after, bob.id(), b1).getLong("index");
    long i2 = KtHttp.verifiedProof(api(), after, bob.id(), b2).getLong("index");
    assertTrue(i1 < i2, "bob's versions in upload order");
    KtHttp.verifiedProof(api(), before, alice.id(), a1);
    KtHttp.verifyConsistency(api(), before, after);
    KtHttp.verifyConsistency(api(), after, after);
    // without a size: the current tree
    JsonObject current = api().get("/api/v1/kt/proof?uid=" + bob.id() + "&ukid=" + b2, null).json();
    assertTrue(current.getLong("size") >= after.getLong("size"));
    // a re-wrap (password change) of the same keys is no new version: the size stays
    JsonObject again = KtHttp.head(api());
    assertEquals(200, api().call("PUT", "/api/v1/e2e/keys", bob.token(), rewrapOf(bob)).status());
    assertEquals(again.getLong("size"), KtHttp.head(api()).getLong("size"));
    assertTrue(api().gauge("sealroom_kt_size") >= after.getLong("size"));
  }

  /** The user's current keys, uploaded again under a new wrapping. */
  private String rewrapOf(Api.User u) {
    JsonObject own = api().get("/api/v1/e2e/keys", u.token()).json();
    JsonObject body = new JsonObject().put("publicKey", own.getJsonObject("publicKey"))
        .put("privateKey", io.sealroom.testing.E2eShapes.wrapped(KtHttp.ITER));
    if (own.getJsonObject("signingKey") != null) {
      body.put("signingKey", own.getJsonObject("signingKey"));
    }
    return body.encode();
  }

  @Test
  void leavesPageThroughTheWholeLog() {
    Api.User u = api().newUser("pager");
    String ukid = KtHttp.uploadKeys(api(), u);
    JsonObject head = KtHttp.head(api());
    long size = head.getLong("size");
    assertTrue(size <= 1000, "this test reads the log in one page");
    List<String> all = leaves(0, size);
    assertEquals(size, all.size());
    List<byte[]> hashes = new ArrayList<>();
    for (String leaf : all) {
      assertTrue(leaf.matches("[^|]+\\|[^|]+\\|\\d+"), leaf);
      hashes.add(Merkle.leafHash(leaf));
    }
    assertArrayEquals(bytes(head.getString("root")), Merkle.root(hashes, 0, size), "the leaves rebuild the signed root");
    assertTrue(all.stream().anyMatch(l -> l.startsWith(u.id() + "|" + ukid + "|")));
    List<String> paged = new ArrayList<>(leaves(0, size / 2));
    paged.addAll(leaves(size / 2, size));
    assertEquals(all, paged);
    Api.Res empty = api().get("/api/v1/kt/leaves?start=" + size + "&end=" + size, null);
    assertEquals(200, empty.status(), empty.raw());
    assertEquals(new JsonArray(), empty.json().getJsonArray("leaves"));
  }

  private List<String> leaves(long start, long end) {
    Api.Res r = api().get("/api/v1/kt/leaves?start=" + start + "&end=" + end, null);
    assertEquals(200, r.status(), r.raw());
    assertEquals(start, r.json().getLong("start"));
    return r.json().getJsonArray("leaves").stream().map(String.class::cast).toList();
  }

  @Test
  void everyErrorOfTheContract() {
    Api.User u = api().newUser("errs");
    String ukid = KtHttp.uploadKeys(api(), u);
    long size = KtHttp.head(api()).getLong("size");
    String p = "/api/v1/kt/proof?uid=" + u.id() + "&ukid=" + ukid;
    invalid("/api/v1/kt/proof?ukid=" + ukid, "uid");
    invalid("/api/v1/kt/proof?uid=" + u.id(), "ukid");
    invalid(p + "&size=0", "size");
    invalid(p + "&size=-1", "size");
    invalid(p + "&size=abc", "size");
    invalid(p + "&size=" + (size + 1), "size");
    notFound("/api/v1/kt/proof?uid=" + u.id() + "&ukid=AAAAAAAAAAAAAAAA");
    notFound("/api/v1/kt/proof?uid=nosuchuser&ukid=" + ukid);
    long index = api().get(p, null).json().getLong("index");
    if (index > 0) {
      notFound(p + "&size=" + index); // the tree before the version was logged
    }
    invalid("/api/v1/kt/consistency?to=" + size, "from");
    invalid("/api/v1/kt/consistency?from=1", "to");
    invalid("/api/v1/kt/consistency?from=0&to=" + size, "from");
    invalid("/api/v1/kt/consistency?from=2&to=1", "to");
    invalid("/api/v1/kt/consistency?from=1&to=" + (size + 1), "to");
    invalid("/api/v1/kt/consistency?from=x&to=" + size, "from");
    invalid("/api/v1/kt/leaves?end=1", "start");
    invalid("/api/v1/kt/leaves?start=0", "end");
    invalid("/api/v1/kt/leaves?start=-1&end=1", "start");
    invalid("/api/v1/kt/leaves?start=1&end=0", "end");
    invalid("/api/v1/kt/leaves?start=0&end=" + (size + 1), "end");
    invalid("/api/v1/kt/leaves?start=0&end=1001", "end");
  }

  private void invalid(String path, String field) {
    Api.Res r = api().get(path, null);
    assertEquals(400, r.status(), path + ": " + r.raw());
    assertEquals("invalid_request", r.errorCode(), r.raw());
    assertEquals(field, r.json().getJsonObject("error").getString("field"), path + ": " + r.raw());
  }

  private void notFound(String path) {
    Api.Res r = api().get(path, null);
    assertEquals(404, r.status(), path + ": " + r.raw());
    assertEquals("not_found", r.errorCode(), r.raw());
  }

  @Test
  void anyoneMayReadTheLogWithoutAToken() {
    Api.User u = api().newUser("anon");
    KtHttp.uploadKeys(api(), u);
    assertEquals(200, api().get("/api/v1/kt/head", null).status());
    // a token that is no good changes nothing: the routes do not look at it
    assertEquals(200, api().get("/api/v1/kt/head", "not-a-token").status());
    assertEquals(200, api().get("/api/v1/kt/leaves?start=0&end=1", "not-a-token").status());
    assertEquals(401, api().get("/api/v1/me", "not-a-token").status(), "other routes still check it");
  }
}
