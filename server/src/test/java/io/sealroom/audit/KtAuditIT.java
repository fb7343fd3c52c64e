package io.sealroom.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.RewritingProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kt-audit against a real node's log, and against the same node behind a proxy that lies
 * about the log: a rewritten, dropped or repeated leaf, a log that shrank, a head signed with
 * another key or not at all. Each lie exits 1 naming the first bad leaf.
 */
class KtAuditIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  @TempDir
  Path tmp;

  record Result(int status, String out, String err) {
  }

  @BeforeAll
  static void someVersions() {
    for (int i = 0; i < 6; i++) {
      api.newUserWithKeys("audited", ITER);
    }
    Api.User u = api.newUserWithKeys("twice", ITER);
    Api.Res reset = api.call("DELETE", "/api/v1/e2e/keys", u.token(),
        new JsonObject().put("password", "password-" + u.username()).encode());
    assertEquals(200, reset.status(), reset.raw());
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", reset.json().getString("token"),
        E2eShapes.keysBody(ITER).encode()).status());
  }

  static Result audit(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = KtAudit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String url() {
    return node.baseUrl();
  }

  static JsonObject head() {
    return api.get("/api/v1/kt/head", null).json();
  }

  @Test
  void aCleanLogPassesAndItsHeadsAreKeptForTheNextRun() throws Exception {
    Path saved = tmp.resolve("head.json");
    Result first = audit("--url", url(), "--save", saved.toString());
    assertEquals(0, first.status(), first.out() + first.err());
    assertTrue(first.out().contains("clean"), first.out());
    long size = new JsonObject(Files.readString(saved)).getLong("size");
    assertTrue(size >= 8, "every version is logged: " + size);
    api.newUserWithKeys("later", ITER);
    Result second = audit("--url", url(), "--head", saved.toString());
    assertEquals(0, second.status(), second.out() + second.err());
  }

  @Test
  void aRewrittenLeafIsNamed() throws Exception {
    try (RewritingProxy proxy = RewritingProxy.start(url())) {
      proxy.rewrite(leaves((index, leaf) -> index == 3 ? leaf.replaceFirst("\\|[A-Za-z0-9_-]{16}\\|", "|AAAAAAAAAAAAAAAA|") : leaf));
      Result r = audit("--url", proxy.baseUrl());
      assertEquals(1, r.status(), r.out() + r.err());
      assertTrue(r.out().contains("first bad index: 3"), r.out());
    }
  }

  @Test
  void aSwappedPairOfLeavesIsNamed() throws Exception {
    try (RewritingProxy proxy = RewritingProxy.start(url())) {
      proxy.rewrite((path, body) -> {
        if (!path.startsWith("/api/v1/kt/leaves")) {
          return body;
        }
        JsonObject o = new JsonObject(body);
        JsonArray l = o.getJsonArray("leaves");
        if (o.getLong("start") == 0 && l.size() > 6) {
          Object five = l.getValue(5);
          l.set(5, l.getValue(6));
          l.set(6, five);
        }
        return o.encode();
      });
      Result r = audit("--url", proxy.baseUrl());
      assertEquals(1, r.status(), r.out() + r.err());
      assertTrue(r.out().contains("first bad index: 5"), r.out());
    }
  }

  @Test
  void aDroppedOrRepeatedLeafIsNamed() throws Exception {
    try (RewritingProxy proxy = RewritingProxy.start(url())) {
      proxy.rewrite(pages(l -> l.remove(4)));
      Result dropped = audit("--url", proxy.baseUrl());
      assertEquals(1, dropped.status(), dropped.out() + dropped.err());
      assertTrue(dropped.out().contains("first bad index: 4"), dropped.out());
      proxy.rewrite(pages(l -> l.set(2, l.getValue(1))));
      Result repeated = audit("--url", proxy.baseUrl());
      assertEquals(1, repeated.status(), repeated.out());
      assertTrue(repeated.out().contains("first bad index: 2"), repeated.out());
    }
  }

  @Test
  void aLogThatShrankIsCaught() throws Exception {
    JsonObject older = head();
    api.newUserWithKeys("grown", ITER);
    Path newer = tmp.resolve("newer.json");
    Files.writeString(newer, head().encode());
    try (RewritingProxy proxy = RewritingProxy.start(url())) {
      proxy.rewrite((path, body) -> path.startsWith("/api/v1/kt/head") ? older.encode() : body);
      Result r = audit("--url", proxy.baseUrl(), "--head", newer.toString());
      assertEquals(1, r.status(), r.out() + r.err());
      assertTrue(r.out().contains("shrank") && r.out().contains("first bad index: " + older.getLong("size")), r.out());
    }
  }

  @Test
  void headsMustBeSignedWithTheOneLogKey() throws Exception {
    JsonObject h = head();
    Path forged = tmp.resolve("forged.json");
    byte[] sig = java.util.Base64.getUrlDecoder().decode(h.getString("sig"));
    sig[10] ^= 1;
    Files.writeString(forged, h.copy().put("sig", E2eShapes.b64(sig)).encode());
    Result badSig = audit("--url", url(), "--head", forged.toString());
    assertEquals(1, badSig.status(), badSig.out() + badSig.err());
    assertTrue(badSig.out().contains("bad signature"), badSig.out());
    Result otherKey = audit("--url", url(), "--log-key", E2eShapes.b64(new byte[32]));
    assertEquals(1, otherKey.status(), otherKey.out());
    assertTrue(otherKey.out().contains("another log key"), otherKey.out());
    assertEquals(0, audit("--url", url(), "--log-key", h.getJsonObject("logKey").getString("x")).status());
  }

  @Test
  void anUnreachableNodeOrBadArgumentsExitTwo() {
    assertEquals(2, audit().status());
    assertEquals(2, audit("--url").status());
    assertEquals(2, audit("--url", "http://127.0.0.1:1").status());
  }

  interface LeafRewrite {
    String apply(long index, String leaf);
  }

  static BiFunction<String, String, String> leaves(LeafRewrite change) {
    return (path, body) -> {
      if (!path.startsWith("/api/v1/kt/leaves")) {
        return body;
      }
      JsonObject o = new JsonObject(body);
      long start = o.getLong("start");
      JsonArray l = o.getJsonArray("leaves");
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(change.apply(start + i, l.getString(i)));
      }
      return o.put("leaves", new JsonArray(out)).encode();
    };
  }

  static BiFunction<String, String, String> pages(java.util.function.Consumer<JsonArray> change) {
    return (path, body) -> {
      if (!path.startsWith("/api/v1/kt/leaves")) {
        return body;
      }
      JsonObject o = new JsonObject(body);
      if (o.getLong("start") == 0) {
        change.accept(o.getJsonArray("leaves"));
      }
      return o.encode();
    };
  }
}
