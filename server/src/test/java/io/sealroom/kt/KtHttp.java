package io.sealroom.kt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The log's routes as a client or an auditor reads them: a head whose signature is checked with
 * its logKey, inclusion and consistency proofs checked with {@link MerkleVerify}, never with the
 * server's tree. Shared by the route checks and the cluster test. Stateless.
 */
public final class KtHttp {
  static final int ITER = 1000;

  private KtHttp() {
  }

  /** A verified head: its signature is good under its logKey. */
  public static JsonObject head(Api api) {
    Api.Res r = api.get("/api/v1/kt/head", null);
    assertEquals(200, r.status(), r.raw());
    JsonObject h = r.json();
    JsonObject jwk = h.getJsonObject("logKey");
    assertEquals("OKP", jwk.getString("kty"));
    assertEquals("Ed25519", jwk.getString("crv"));
    byte[] root = bytes(h.getString("root"));
    assertEquals(32, root.length);
    assertEquals(64, bytes(h.getString("sig")).length);
    assertTrue(Heads.verify(jwk.getString("x"), Heads.signedText(h.getLong("size"), root, h.getLong("ts")),
        bytes(h.getString("sig"))), "head signature: " + h.encode());
    return h;
  }

  /** The proof of the version at the head's size, checked against the head's root; answers the proof. */
  public static JsonObject verifiedProof(Api api, JsonObject head, String uid, String ukid) {
    long size = head.getLong("size");
    Api.Res r = api.get("/api/v1/kt/proof?uid=" + uid + "&ukid=" + ukid + "&size=" + size, null);
    assertEquals(200, r.status(), r.raw());
    JsonObject p = r.json();
    assertEquals(size, p.getLong("size"));
    String leaf = p.getString("leaf");
    assertTrue(leaf.startsWith(uid + "|" + ukid + "|"), leaf);
    assertTrue(MerkleVerify.inclusion(Merkle.leafHash(leaf), p.getLong("index"), size, path(p.getJsonArray("path")),
        bytes(head.getString("root"))), "inclusion of " + leaf + " in " + head.encode());
    return p;
  }

  /** Checks the consistency proof between two heads. */
  public static void verifyConsistency(Api api, JsonObject older, JsonObject newer) {
    long from = older.getLong("size");
    long to = newer.getLong("size");
    Api.Res r = api.get("/api/v1/kt/consistency?from=" + from + "&to=" + to, null);
    assertEquals(200, r.status(), r.raw());
    assertEquals(from, r.json().getLong("from"));
    assertEquals(to, r.json().getLong("to"));
    assertTrue(MerkleVerify.consistency(from, to, bytes(older.getString("root")), bytes(newer.getString("root")),
        path(r.json().getJsonArray("path"))), "consistency " + from + " -> " + to);
  }

  /**
   * Uploads fresh keys for the user; answers the ukid. As a client does, an upload answered
   * 503 (its version could not be logged in time) is sent again, which logs it.
   */
  public static String uploadKeys(Api api, Api.User u) {
    String body = E2eShapes.keysBody(ITER).encode();
    Api.Res r = api.call("PUT", "/api/v1/e2e/keys", u.token(), body);
    for (int retry = 0; retry < 3 && r.status() == 503; retry++) {
      r = api.call("PUT", "/api/v1/e2e/keys", u.token(), body);
    }
    assertEquals(200, r.status(), r.raw());
    return r.json().getString("ukid");
  }

  /** Resets the user's keys; answers the fresh token. */
  public static String reset(Api api, Api.User u) {
    Api.Res r = api.call("DELETE", "/api/v1/e2e/keys", u.token(),
        new JsonObject().put("password", "password-" + u.username()).encode());
    assertEquals(200, r.status(), r.raw());
    return r.json().getString("token");
  }

  static List<byte[]> path(JsonArray a) {
    List<byte[]> out = new ArrayList<>();
    a.forEach(o -> out.add(bytes((String) o)));
    return out;
  }

  static byte[] bytes(String b64url) {
    assertTrue(b64url.matches("[A-Za-z0-9_-]*"), "unpadded base64url: " + b64url);
    return Base64.getUrlDecoder().decode(b64url);
  }
}
