package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.Envelope.Verification;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key transparency through the SDK against a real node. One user's client talks to the node
 * through a forwarding proxy (a small Vert.x HTTP and WebSocket server) that records what it
 * forwards and can rewrite answers: substitute a member's key, serve an older signed head, alter
 * a leaf. The SDK must then name the user in a KeyTransparencyException and encrypt nothing to
 * the unproven key.
 */
class SdkKtIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();
  final List<SealroomClient> proxied = new CopyOnWriteArrayList<>();
  Proxy proxy;

  /** Forwards everything to the node; {@code rewrite} may change a JSON answer (path, answer) -> answer. */
  static final class Proxy {
    final Vertx vertx;
    final int target;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> keyPosts = new CopyOnWriteArrayList<>();
    volatile BiFunction<String, JsonObject, JsonObject> rewrite = (p, o) -> o;
    HttpServer server;
    HttpClientAgent http;
    WebSocketClient ws;

    Proxy(Vertx vertx, int target) {
      this.vertx = vertx;
      this.target = target;
    }

    Proxy start() throws Exception {
      http = vertx.createHttpClient();
      ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
      server = vertx.createHttpServer().webSocketHandler(this::socket).requestHandler(this::forward);
      server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      return this;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    void stop() throws Exception {
      server.close().await(10, TimeUnit.SECONDS);
      http.close();
      ws.close();
    }

    private void forward(HttpServerRequest req) {
      String uri = req.uri();
      HttpMethod method = req.method();
      requests.add(method + " " + uri);
      req.body().compose(body -> {
        if (method == HttpMethod.POST && uri.endsWith("/e2e/keys")) {
          keyPosts.add(body.toString());
        }
        return http.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(target).setURI(uri))
            .compose(up -> {
              req.headers().forEach(h -> {
                if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
                  up.putHeader(h.getKey(), h.getValue());
                }
              });
              return up.send(body);
            });
      }).compose(res -> res.body().map(b -> {
        Buffer out = b;
        String type = res.getHeader("content-type");
        if (res.statusCode() == 200 && type != null && type.contains("json") && b.length() > 0) {
          out = Buffer.buffer(rewrite.apply(req.path(), new JsonObject(b)).encode());
        }
        req.response().setStatusCode(res.statusCode());
        if (type != null) {
          req.response().putHeader("content-type", type);
        }
        return out;
      })).onSuccess(out -> req.response().end(out))
          .onFailure(e -> req.response().setStatusCode(502).end());
    }

    private void socket(ServerWebSocket down) {
      down.pause();
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(target).setURI(down.uri())
          .setAllowOriginHeader(false)).onSuccess(up -> {
            down.textMessageHandler(up::writeTextMessage);
            up.textMessageHandler(down::writeTextMessage);
            down.closeHandler(v -> up.close());
            up.closeHandler(v -> down.close(up.closeStatusCode() == null ? 1000 : up.closeStatusCode(),
                up.closeReason()));
            down.resume();
          }).onFailure(e -> down.close((short) 1011));
    }
  }

  @BeforeEach
  void proxy() throws Exception {
    proxy = new Proxy(users.node.vertx(), users.node.port()).start();
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.stop();
  }

  /** A new account with keys whose client goes through the proxy. */
  SealroomClient viaProxy(String name) {
    SealroomClient c = SealroomClient.login(proxy.url(), name, SdkUsers.password(name), SdkUsers.options());
    proxied.add(c);
    return c;
  }

  @AfterEach
  void closeClients() {
    proxied.forEach(SealroomClient::close);
  }

  boolean proofAsked(SealroomClient c) {
    String q = "uid=" + c.user().id() + "&ukid=" + c.e2e().ukid() + "&";
    return proxy.requests.stream().anyMatch(r -> r.startsWith("GET /api/v1/kt/proof?") && r.contains(q));
  }

  @Test
  void theInclusionOfEveryMembersKeyIsCheckedBeforeTheyGetTheRoomKey() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = viaProxy(aliceName);
    alice.e2e().setup();
    assertTrue(proofAsked(alice), "the own version is checked after setup");
    SealroomClient bob = users.newE2eClient("bob");
    SealroomClient carol = users.newE2eClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("kt", bob.user().username(), carol.user().username())
        .encrypted(true));
    SdkUsers.Inbox bobs = new SdkUsers.Inbox();
    SdkUsers.Inbox carols = new SdkUsers.Inbox();
    long head = alice.room(room.id()).head();
    alice.send(room.id(), "hello both"); // alice establishes the room key and wraps it for both
    bob.subscribe(room.id(), head, bobs);
    carol.subscribe(room.id(), head, carols);
    assertEquals("hello both", bobs.nextMessage().text());
    assertEquals("hello both", carols.nextMessage().text());
    assertTrue(proofAsked(bob) && proofAsked(carol), "both members' versions were proven: " + proxy.requests);
    assertTrue(proxy.requests.stream().anyMatch(r -> r.startsWith("GET /api/v1/kt/head")));
  }

  @Test
  void aSubstitutedKeyIsRefusedNamingTheUserAndGetsNoRoomKey() throws Exception {
    PrivateKeys mallory = PrivateKeys.generate();
    String fakeUkid = KeyVersions.ukid(mallory);
    SealroomClient bob = users.newE2eClient("bob");
    String bobId = bob.user().id();
    proxy.rewrite = (path, o) -> {
      if (path.equals("/api/v1/users/" + bobId + "/keys")) {
        return new JsonObject().put("publicKey", new JsonObject(mallory.publicJwk()))
            .put("signingKey", new JsonObject(mallory.signingJwk())).put("ukid", fakeUkid);
      }
      if (path.endsWith("/e2e/waiting")) {
        o.getJsonArray("users", new JsonArray()).forEach(u -> {
          if (bobId.equals(((JsonObject) u).getString("id"))) {
            ((JsonObject) u).put("publicKey", new JsonObject(mallory.publicJwk()));
          }
        });
      }
      return o;
    };
    String aliceName = users.newAccount("alice");
    SealroomClient alice = viaProxy(aliceName);
    alice.e2e().setup();
    Room room = alice.createRoom(NewRoom.privateGroup("substituted", bob.user().username()).encrypted(true));
    alice.send(room.id(), "not for mallory");
    Thread.sleep(500);
    assertFalse(proxy.keyPosts.stream().anyMatch(b -> b.contains(bobId)), "no room key was wrapped for bob's id");
    KeyTransparencyException e = assertThrows(KeyTransparencyException.class, () -> alice.markVerified(bobId));
    assertEquals(bobId, e.userId());
    assertTrue(e.getMessage().startsWith("The server could not prove that these are " + bob.user().username()
        + "'s keys"), e.getMessage());
    assertThrows(KeyTransparencyException.class, () -> alice.safetyNumber(bobId), "no safety number either");
  }

  @Test
  void anOlderSignedHeadIsAForkAndARewrittenLeafFailsItsProof() throws Exception {
    List<JsonObject> heads = new CopyOnWriteArrayList<>();
    proxy.rewrite = (path, o) -> {
      if (path.equals("/api/v1/kt/head")) {
        heads.add(o.copy());
      }
      return o;
    };
    SealroomClient alice = viaProxy(users.newAccount("alice"));
    alice.e2e().setup();
    SealroomClient bob = users.newE2eClient("bob");
    alice.identity(bob.user().id()); // a newer head, consistent with the first one
    JsonObject old = heads.get(0);
    assertTrue(heads.get(heads.size() - 1).getLong("size") > old.getLong("size"));

    SealroomClient carol = users.newE2eClient("carol");
    proxy.rewrite = (path, o) -> path.equals("/api/v1/kt/head") ? old : o; // the node's own signature
    KeyTransparencyException fork = assertThrows(KeyTransparencyException.class,
        () -> alice.identity(carol.user().id()));
    assertTrue(fork.getMessage().contains("fork"), fork.getMessage());

    proxy.rewrite = (path, o) -> path.equals("/api/v1/kt/proof")
        ? o.put("leaf", o.getString("leaf").replaceFirst("\\|(\\d)", "|9$1")) : o;
    assertThrows(KeyTransparencyException.class, () -> alice.markVerified(carol.user().id()));

    // a signature under a version the log does not prove is reported, not verified: dave holds
    // the room key and hands it to alice, whose client has never proven dave's version
    proxy.rewrite = (path, o) -> o;
    SealroomClient dave = users.newE2eClient("dave");
    Room room = dave.createRoom(NewRoom.privateGroup("unproven", alice.user().username()).encrypted(true));
    dave.send(room.id(), "signed by dave");
    String davesLeaf = dave.user().id() + "|" + dave.e2e().ukid() + "|";
    proxy.rewrite = (path, o) -> path.equals("/api/v1/kt/proof") && o.getString("leaf", "").startsWith(davesLeaf)
        ? o.put("index", o.getLong("index") + 1) : o;
    alice.markVerified(carol.user().id()); // the log is honest about carol again
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    alice.subscribe(room.id(), 0, inbox);
    ChatMessage m = inbox.next();
    while (m.isEvent()) {
      m = inbox.next();
    }
    assertEquals("signed by dave", m.text());
    assertEquals(Verification.UNPROVEN_KEY, m.verification(), "a good signature under an unproven version");
    assertFalse(m.verified());
  }
}
