package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * A server whose key log fails its checks, seen through a forwarding proxy in front of a real
 * node that rewrites the log's answers for alice's browser: a proof of bob's keys with another
 * leaf (the inclusion check fails), then a head with another root (the head's signature fails).
 * Alice is told, in words naming bob, that the server could not prove his keys; nothing is
 * sealed to bob, his signed message shows "could not verify" and not the check mark; a bad
 * head is a warning across the page that stops encryption in every room.
 */
class KtFailureBrowserIT {
  static final String T = "kt-failure";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000).build();
  static final Api api = node.api();

  @Test
  void aProofThatFailsNamesTheUserAndNothingIsEncryptedToThem() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Vertx vertx = Vertx.vertx();
    LyingProxy proxy = LyingProxy.start(vertx, node.port());
    try (Browser b = Browser.open("bob", node.baseUrl()); Browser a = Browser.open("alice", proxy.baseUrl())) {
      b.login(bob.username(), "password-" + bob.username());
      Flows.setUp(b);
      a.login(alice.username(), "password-" + alice.username());
      Flows.setUp(a);
      proxy.lieAbout.set(bob.id());

      // bob's room (his key before alice joins): his honest browser hands her the key; his signature
      // is not "verified" for her
      Flows.createRoom(b, "p", "From bob", "", true);
      b.waitFor(By.cssSelector("#room-head-key .key-icon"));
      String bobsRoom = Flows.roomId(api, bob.token(), "From bob");
      b.waitUntil("bob established the key", () -> api.get("/api/v1/rooms/" + bobsRoom, bob.token()).json()
          .getString("e2eKeyId") != null);
      assertTrue(api.post("/api/v1/rooms/" + bobsRoom + "/members", bob.token(),
          new JsonObject().put("username", alice.username())).status() == 200);
      b.openRoom("From bob");
      Flows.send(b, "signed by bob");
      a.openRoom("From bob");
      By message = Flows.message("signed by bob");
      a.waitFor(By.xpath("//li[contains(@class,'msg')][.//p[normalize-space()='signed by bob']]//*[contains(@class,'msg-unproven')]"));
      assertFalse(a.present(Flows.verifiedOnMessage("signed by bob")), "not shown as verified");
      assertTrue(a.driver.findElement(message).getText().contains("could not verify"));
      By bar = By.cssSelector("#trust-bar [data-uid='" + bob.id() + "'][data-why='kt']");
      String warning = a.waitFor(bar).getText();
      assertTrue(warning.contains("could not prove that these are " + bob.username() + "'s keys"), warning);
      a.waitUntil("the composer is blocked", () -> VerifyFlows.composerBlocked(a));

      // alice's room: she establishes its key alone, then adds bob; she does not seal the key to his keys
      Flows.createRoom(a, "p", "From alice", "", true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      String rid = Flows.roomId(api, alice.token(), "From alice");
      a.waitUntil("alice established the key", () -> api.get("/api/v1/rooms/" + rid, alice.token()).json()
          .getString("e2eKeyId") != null);
      assertTrue(api.post("/api/v1/rooms/" + rid + "/members", alice.token(),
          new JsonObject().put("username", bob.username())).status() == 200);
      a.waitFor(bar);
      a.waitUntil("blocked here too", () -> VerifyFlows.composerBlocked(a));
      a.screenshot(T, "proof-fails");
      Thread.sleep(2000);
      assertFalse(VerifyFlows.hasKey(api, bob.token(), rid), "no room key sealed to bob's unproven keys");
      Axe axe = new Axe(T);
      axe.check(a, "kt-warning");

      // a head that fails its checks: the page-wide warning, and every encrypted room stops
      proxy.badHead.set(true);
      a.driver.navigate().refresh();
      a.waitFor(By.id("shell"));
      String alarm = a.waitFor(By.id("kt-alarm")).getText();
      assertTrue(alarm.contains("The server's key log is inconsistent"), alarm);
      a.openRoom("From bob");
      a.waitUntil("the alarm blocks the room", () -> VerifyFlows.composerBlocked(a));
      a.screenshot(T, "bad-head");
      axe.check(a, "kt-alarm");
      axe.assertClean();
    } finally {
      proxy.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** HTTP and WebSocket forwarding to the node; the key log's answers are rewritten on demand. */
  static final class LyingProxy {
    final AtomicReference<String> lieAbout = new AtomicReference<>();
    final AtomicReference<Boolean> badHead = new AtomicReference<>(false);
    private final HttpServer server;
    private final HttpClient http;
    private final WebSocketClient ws;
    private final int nodePort;

    private LyingProxy(Vertx vertx, int nodePort) {
      this.nodePort = nodePort;
      this.http = vertx.createHttpClient();
      this.ws = vertx.createWebSocketClient();
      this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    static LyingProxy start(Vertx vertx, int nodePort) throws Exception {
      LyingProxy p = new LyingProxy(vertx, nodePort);
      p.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      return p;
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    void close() throws Exception {
      server.close().await(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest req) {
      if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
        webSocket(req);
        return;
      }
      req.pause();
      RequestOptions to = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(nodePort)
          .setURI(req.uri());
      http.request(to).compose(up -> {
        req.headers().forEach(h -> {
          if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Accept-Encoding")) {
            up.putHeader(h.getKey(), h.getValue());
          }
        });
        req.resume();
        return req.body().compose(up::send);
      }).compose(res -> res.body().map(body -> {
        MultiMap headers = res.headers();
        Buffer out = rewrite(req, res.statusCode(), body);
        req.response().setStatusCode(res.statusCode());
        headers.forEach(h -> {
          if (!h.getKey().equalsIgnoreCase("Content-Length")) {
            req.response().putHeader(h.getKey(), h.getValue());
          }
        });
        return out;
      })).onSuccess(out -> req.response().end(out))
          .onFailure(e -> { if (!req.response().ended()) req.response().setStatusCode(502).end(); });
    }

    /** A proof of the chosen user's keys names another leaf; a head gets another root. */
    private Buffer rewrite(HttpServerRequest req, int status, Buffer body) {
      if (status != 200) {
        return body;
      }
      if (req.path().equals("/api/v1/kt/proof") && req.getParam("uid") != null
          && req.getParam("uid").equals(lieAbout.get())) {
        JsonObject proof = body.toJsonObject();
        String leaf = proof.getString("leaf");
        int cut = leaf.lastIndexOf('|');
        proof.put("leaf", leaf.substring(0, cut + 1) + (Long.parseLong(leaf.substring(cut + 1)) + 1));
        return proof.toBuffer();
      }
      if (req.path().equals("/api/v1/kt/head") && badHead.get()) {
        JsonObject head = body.toJsonObject();
        String root = head.getString("root");
        head.put("root", (root.charAt(0) == 'A' ? "B" : "A") + root.substring(1));
        return head.toBuffer();
      }
      return body;
    }

    /** Connects to the node first, then accepts the browser's upgrade and relays text frames both ways. */
    private void webSocket(HttpServerRequest req) {
      req.pause();
      Future<io.vertx.core.http.WebSocket> upstream = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(nodePort).setURI(req.uri()));
      upstream.onFailure(e -> req.response().setStatusCode(502).end()).onSuccess(up -> req.toWebSocket().onSuccess(down -> {
        down.textMessageHandler(up::writeTextMessage);
        up.textMessageHandler(down::writeTextMessage);
        down.closeHandler(v -> up.close());
        up.closeHandler(v -> {
          Short code = up.closeStatusCode();
          down.close(code == null ? 1000 : code, up.closeReason());
        });
      }).onFailure(e -> up.close()));
    }
  }
}
