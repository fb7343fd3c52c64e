package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sealroom.common.Ids;
import io.sealroom.testing.Api;
import io.sealroom.testing.Jwts;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every authenticated REST route and the WebSocket auth frame refuse bad tokens. The node signs
 * with a key file this test wrote, so the test can forge tokens that differ from a valid one in
 * exactly one respect, or take a token the node issued and spell it differently (a token has
 * exactly one valid spelling).
 */
class JwtIT {
  private static final String ISSUER = "sealroom-jwt-it";
  static final Jwts serverKey = newKey();
  static final Jwts otherKey = newKey();
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("auth.jwt.issuer", ISSUER)
      .file("auth.jwt.keyFile", dir -> serverKey.writePrivatePem(dir, "jwt.pem")).build();
  static final Api api = node.api();
  static Api.User owner;
  static String rid;

  /** One way a token can be bad. */
  enum BadToken {
    MISSING(u -> null),
    GARBAGE(u -> "garbage"),
    MALFORMED(u -> "not.a.jwt"),
    ALG_NONE(u -> Jwts.unsigned(claims(u, ISSUER, 0))),
    WRONG_SIGNATURE(u -> otherKey.es256(claims(u, ISSUER, 0))),
    HS256_WITH_PUBLIC_KEY(u -> Jwts.hs256(serverKey.publicPem(), claims(u, ISSUER, 0))),
    EXPIRED(u -> serverKey.es256(claims(u, ISSUER, -3600))),
    WRONG_ISSUER(u -> serverKey.es256(claims(u, "someone-else", 0))),
    NO_SUBJECT(u -> serverKey.es256(claims(u, ISSUER, 0).copy().putNull("sub"))),
    ISSUED_HIGH_S_TWIN(u -> Jwts.highSTwin(u.token())),
    ISSUED_TRAILING_CHARACTER(u -> u.token() + "x"),
    ISSUED_TRAILING_DOT(u -> u.token() + "."),
    ISSUED_PADDED(u -> u.token() + "=="),
    ISSUED_SIGNATURE_65_BYTES(u -> Jwts.signature65Bytes(u.token())),
    NO_EXPIRY(u -> serverKey.es256(without(claims(u, ISSUER, 0), "exp"))),
    NO_ISSUED_AT(u -> serverKey.es256(without(claims(u, ISSUER, 0), "iat"))),
    NO_ISSUER(u -> serverKey.es256(without(claims(u, ISSUER, 0), "iss"))),
    NUMERIC_SUBJECT(u -> serverKey.es256(claims(u, ISSUER, 0).put("sub", 12345))),
    EMPTY_SUBJECT(u -> serverKey.es256(claims(u, ISSUER, 0).put("sub", ""))),
    SUBJECT_NOT_AN_ID(u -> serverKey.es256(claims(u, ISSUER, 0).put("sub", u.id() + "-x"))),
    NUMERIC_NAME(u -> serverKey.es256(claims(u, ISSUER, 0).put("name", 7))),
    UNKNOWN_USER(u -> serverKey.es256(claims(u, ISSUER, 0).put("sub", Ids.newId()).put("name", "ghost")));

    final Function<Api.User, String> make;

    BadToken(Function<Api.User, String> make) {
      this.make = make;
    }
  }

  static JsonObject without(JsonObject claims, String key) {
    claims.remove(key);
    return claims;
  }

  /** Claims of the user's valid token, shifted in time: iat = now - 60 + shift, exp = now + 600 + shift. */
  static JsonObject claims(Api.User u, String iss, long shift) {
    long now = Jwts.now();
    return Jwts.claims(u.id(), u.username(), iss, now - 60 + shift, now + 600 + shift);
  }

  static Jwts newKey() {
    try {
      return Jwts.generate();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() {
    owner = api.newUser("jwt-owner");
    rid = api.createRoom(owner, "p", "jwt room", List.of());
    assertEquals(201, api.post("/api/v1/rooms/" + rid + "/messages", owner.token(),
        new JsonObject().put("cid", "seed").put("text", "seed")).status());
  }

  /** method, path, body (or null) of every route that needs a token, on an existing room. */
  static List<String[]> protectedRoutes() {
    String room = "/api/v1/rooms/" + rid;
    String[][] routes = {
        {"GET", "/api/v1/me", null},
        {"GET", "/api/v1/users?username=" + owner.username(), null},
        {"POST", "/api/v1/rooms", "{\"type\":\"p\",\"name\":\"forged\",\"members\":[]}"},
        {"GET", "/api/v1/rooms", null},
        {"GET", room, null},
        {"PATCH", room, "{\"name\":\"renamed\"}"},
        {"POST", room + "/members", "{\"username\":\"" + owner.username() + "\"}"},
        {"DELETE", room + "/members/" + owner.id(), null},
        {"GET", room + "/messages", null},
        {"POST", room + "/messages", "{\"cid\":\"forged\",\"text\":\"forged\"}"},
        {"GET", "/api/v1/search?q=seed", null},
        {"GET", "/api/v1/e2e/keys", null},
        {"PUT", "/api/v1/e2e/keys", "{}"},
        {"DELETE", "/api/v1/e2e/keys", "{\"password\":\"whatever1\"}"},
        {"GET", "/api/v1/users/" + owner.id() + "/keys", null},
        {"POST", room + "/e2e/key-id", "{}"},
        {"GET", room + "/e2e/key", null},
        {"GET", room + "/e2e/waiting", null},
        {"POST", room + "/e2e/keys", "{\"keys\":[]}"},
        {"POST", room + "/e2e/rotate", "{}"},
    };
    return List.of(routes);
  }

  @Test
  void acceptsATokenSignedWithTheConfiguredKey() throws Exception {
    String token = serverKey.es256(claims(owner, ISSUER, 0));
    Api.Res me = api.get("/api/v1/me", token);
    assertEquals(200, me.status(), me.raw());
    assertEquals(owner.id(), me.json().getString("userId"));
    try (WsClient ws = WsClient.connect(node)) {
      ws.send(new JsonObject().put("op", "auth").put("token", token));
      assertEquals(owner.id(), ws.awaitOp("ready", 5).getJsonObject("user").getString("id"));
    }
  }

  @ParameterizedTest
  @EnumSource(BadToken.class)
  void everyProtectedRouteRefusesTheToken(BadToken kind) {
    String token = kind.make.apply(owner);
    List<Executable> checks = new ArrayList<>();
    for (String[] r : protectedRoutes()) {
      Api.Res res = api.call(r[0], r[1], token, r[2]);
      checks.add(() -> assertEquals(401, res.status(), r[0] + " " + r[1] + ": " + res.raw()));
      checks.add(() -> assertEquals("unauthorized", res.errorCode(), r[0] + " " + r[1]));
    }
    assertAll(kind.name(), checks);
    // nothing that a refused request asked for happened
    Api.Res room = api.get("/api/v1/rooms/" + rid, owner.token());
    assertEquals(200, room.status(), room.raw());
    assertEquals("jwt room", room.json().getString("name"));
    assertEquals(1, room.json().getJsonArray("members").size());
    assertEquals(1, api.get("/api/v1/rooms", owner.token()).json().getJsonArray("rooms").size());
    // room.created and the one message sent at the start: nothing refused was stored
    assertEquals(2L, api.get("/api/v1/rooms/" + rid + "/messages", owner.token()).json().getLong("head"));
  }

  @ParameterizedTest
  @EnumSource(BadToken.class)
  void webSocketAuthFrameWithTheTokenIsClosedWith4001(BadToken kind) throws Exception {
    String token = kind.make.apply(owner);
    try (WsClient ws = WsClient.connect(node)) {
      JsonObject auth = new JsonObject().put("op", "auth");
      if (token != null) {
        auth.put("token", token);
      }
      ws.send(auth);
      assertEquals(4001, ws.awaitClose(5), kind.name());
      List<JsonObject> frames = ws.drain(100);
      assertNull(frames.stream().filter(f -> "ready".equals(f.getString("op"))).findFirst().orElse(null),
          "no ready frame for " + kind);
    }
  }

  @Test
  void registerLoginHealthAndMetricsNeedNoToken() {
    assertEquals(201, api.register("jwt-free-" + System.nanoTime() % 100000, "password-free").status());
    assertEquals(400, api.login(owner.username(), "wrong password").status());
    assertEquals(200, api.get("/health", null).status());
    assertEquals(200, api.get("/metrics", null).status());
  }
}
