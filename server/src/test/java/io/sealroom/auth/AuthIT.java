package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.Bodies;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.SecurityEvents;
import io.sealroom.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration, login, login rate limits, closed registration and GET /api/v1/me on a real node. */
class AuthIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void assertInvalid(Api.Res r, String field) {
    assertEquals(400, r.status(), Bodies.safe(r));
    assertEquals("invalid_request", r.errorCode(), Bodies.safe(r));
    String message = r.json().getJsonObject("error").getString("message");
    assertTrue(message.contains(field), "the message names " + field + ": " + message);
  }

  @Test
  void registerAnswers201WithUserIdAndLowerCasedUsername() {
    String name = unique("MixedCase");
    Api.Res r = api.register(name, "correct horse battery");
    assertEquals(201, r.status(), r.raw());
    assertNotNull(r.json().getString("userId"));
    assertEquals(name.toLowerCase(), r.json().getString("username"));
    Api.Res login = api.login(name.toLowerCase(), "correct horse battery");
    assertEquals(200, login.status(), Bodies.safe(login));
    assertEquals(r.json().getString("userId"), login.json().getString("userId"));
  }

  @Test
  void duplicateUsernameIsRefusedWhateverItsCase() {
    String name = unique("dup");
    assertEquals(201, api.register(name, "password-one").status());
    Api.Res again = api.register(name, "password-two");
    assertEquals(409, again.status(), again.raw());
    assertEquals("username_taken", again.errorCode());
    Api.Res upper = api.register(name.toUpperCase(), "password-two");
    assertEquals(409, upper.status(), upper.raw());
    assertEquals("username_taken", upper.errorCode());
    // the first password still works, the second never took
    assertEquals(200, api.login(name, "password-one").status());
    assertEquals(400, api.login(name, "password-two").status());
  }

  @Test
  void concurrentRegistrationsOfOneNameCreateOneAccount() throws Exception {
    String name = unique("race");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      java.util.List<java.util.concurrent.Future<Api.Res>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String password = "password-" + i;
        String spelling = i % 2 == 0 ? name : name.toUpperCase();
        fs.add(pool.submit(() -> api.register(spelling, password)));
      }
      int created = 0;
      for (java.util.concurrent.Future<Api.Res> f : fs) {
        Api.Res r = f.get();
        if (r.status() == 201) {
          created++;
        } else {
          assertEquals(409, r.status(), r.raw());
          assertEquals("username_taken", r.errorCode());
        }
      }
      assertEquals(1, created);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidUsernamesAreRefusedNamingTheField() {
    for (String bad : new String[] {"a", "has space", "bad!name", "-leading", "x".repeat(65), ""}) {
      assertInvalid(api.register(bad, "long enough password"), "username");
    }
    assertInvalid(api.post("/api/v1/auth/register", null, new JsonObject().put("password", "long enough")), "username");
  }

  @Test
  void invalidPasswordsAreRefusedNamingTheField() {
    assertInvalid(api.register(unique("pw"), "short"), "password");
    assertInvalid(api.register(unique("pw"), "p".repeat(1025)), "password");
    assertInvalid(api.post("/api/v1/auth/register", null, new JsonObject().put("username", unique("pw"))), "password");
  }

  @Test
  void loginReturnsTokenUserIdUsernameAndExpiry() {
    String name = unique("login");
    String id = api.register(name, "password-login").json().getString("userId");
    long before = System.currentTimeMillis();
    Api.Res r = api.login(name.toUpperCase(), "password-login");
    assertEquals(200, r.status(), Bodies.safe(r));
    JsonObject b = r.json();
    assertEquals(id, b.getString("userId"));
    assertEquals(name, b.getString("username"));
    String token = b.getString("token");
    assertNotNull(token);
    assertEquals(3, token.split("\\.").length, "a JWS compact token");
    long ttlMs = node.config().auth().jwt().ttlSeconds() * 1000L;
    long expiresAt = b.getLong("expiresAt");
    assertTrue(expiresAt >= before + ttlMs - 2000 && expiresAt <= System.currentTimeMillis() + ttlMs + 2000,
        "expiresAt is epoch ms, now + ttl");
    assertEquals(200, api.get("/api/v1/me", token).status());
  }

  @Test
  void wrongPasswordAndUnknownUserAreBothInvalidCredentials() {
    String name = unique("creds");
    api.register(name, "password-right");
    Api.Res wrong = api.login(name, "password-wrong");
    assertEquals(400, wrong.status(), Bodies.safe(wrong));
    assertEquals("invalid_credentials", wrong.errorCode());
    Api.Res unknown = api.login(unique("nobody"), "password-right");
    assertEquals(400, unknown.status(), Bodies.safe(unknown));
    assertEquals("invalid_credentials", unknown.errorCode());
    assertEquals(wrong.json().getJsonObject("error").getString("message"),
        unknown.json().getJsonObject("error").getString("message"), "no hint whether the user exists");
    assertFalse(wrong.json().containsKey("token"));
  }

  @Test
  void loginIsRateLimitedPerUsername() throws Exception {
    try (TestNode limited = TestNode.start(Map.of("auth.loginRate.perUsername", 3, "metrics.enabled", false))) {
      Api a = limited.api();
      String name = unique("ratename");
      assertEquals(201, a.register(name, "password-rate").status());
      for (int i = 0; i < 3; i++) {
        assertEquals(400, a.login(name, "password-wrong").status(), "attempt " + (i + 1));
      }
      Api.Res limitedRes = a.login(name.toUpperCase(), "password-rate");
      assertEquals(429, limitedRes.status(), "the right password is refused too once over the limit");
      assertEquals("rate_limited", limitedRes.errorCode());
      assertFalse(limitedRes.json().containsKey("token"));
      // another username from the same address is not affected
      String other = unique("ratename");
      a.register(other, "password-rate");
      assertEquals(200, a.login(other, "password-rate").status());
    }
  }

  @Test
  void loginIsRateLimitedPerAddress() throws Exception {
    try (TestNode limited = TestNode.start(Map.of("auth.loginRate.perAddress", 4, "metrics.enabled", false))) {
      Api a = limited.api();
      String name = unique("rateaddr");
      assertEquals(201, a.register(name, "password-addr").status());
      for (int i = 0; i < 4; i++) {
        assertEquals(400, a.login(unique("nobody"), "password-addr").status(), "attempt " + (i + 1));
      }
      Api.Res r = a.login(name, "password-addr");
      assertEquals(429, r.status(), Bodies.safe(r));
      assertEquals("rate_limited", r.errorCode());
    }
  }

  @Test
  void registrationsArePerAddressLimited() throws Exception {
    // 10 a minute is the default of auth.registrationRate.perAddress (TestNode lifts it)
    try (TestNode limited = TestNode.start(Map.of("auth.registrationRate.perAddress", 10, "metrics.enabled", false));
        SecurityEvents events = new SecurityEvents()) {
      Api a = limited.api();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
      try {
        java.util.List<java.util.concurrent.Future<Api.Res>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
          String name = unique("flood" + i);
          fs.add(pool.submit(() -> a.register(name, "password-flood")));
        }
        int created = 0;
        for (java.util.concurrent.Future<Api.Res> f : fs) {
          Api.Res r = f.get();
          if (r.status() == 201) {
            created++;
          } else {
            assertEquals(429, r.status(), r.raw());
            assertEquals("rate_limited", r.errorCode(), r.raw());
          }
        }
        assertTrue(created >= 1 && created <= 10, "at most 10 of 60 registrations from one address: " + created);
      } finally {
        pool.shutdownNow();
      }
      Api.Res more = a.register(unique("late"), "password-flood");
      assertEquals(429, more.status(), more.raw());
      assertFalse(events.of("registration_limited", "address=127.0.0.1").isEmpty(), events.lines().toString());
    }
  }

  @Test
  void successfulLoginsArePerAccountLimited() throws Exception {
    // 20 a minute is the default of auth.loginRate.successPerAccount (TestNode lifts it)
    try (TestNode limited = TestNode.start(Map.of("auth.loginRate.successPerAccount", 20, "metrics.enabled", false));
        SecurityEvents events = new SecurityEvents()) {
      Api a = limited.api();
      String name = unique("busy");
      assertEquals(201, a.register(name, "password-busy").status());
      for (int i = 1; i <= 25; i++) {
        Api.Res r = a.login(name, "password-busy");
        if (i <= 20) {
          assertEquals(200, r.status(), "login " + i + ": " + Bodies.safe(r));
        } else {
          assertEquals(429, r.status(), "login " + i + ": " + Bodies.safe(r));
          assertEquals("rate_limited", r.errorCode());
          assertFalse(r.json().containsKey("token"));
        }
      }
      String other = unique("busy");
      assertEquals(201, a.register(other, "password-busy").status());
      assertEquals(200, a.login(other, "password-busy").status(), "another account still logs in");
      assertFalse(events.of("login_limited", "username=" + name, "address=127.0.0.1").isEmpty(), events.lines().toString());
      assertTrue(events.lines().stream().noneMatch(l -> l.contains("password-busy")), "no password in the log");
    }
  }

  @Test
  void failedLoginsOverTheLimitAreLogged() throws Exception {
    try (TestNode limited = TestNode.start(Map.of("auth.loginRate.perUsername", 2, "metrics.enabled", false));
        SecurityEvents events = new SecurityEvents()) {
      Api a = limited.api();
      String name = unique("guessed");
      assertEquals(201, a.register(name, "password-guess").status());
      for (int i = 0; i < 3; i++) {
        a.login(name, "password-wrong" + i);
      }
      assertFalse(events.of("login_limited", "username=" + name, "address=127.0.0.1").isEmpty(), events.lines().toString());
      assertTrue(events.lines().stream().noneMatch(l -> l.contains("password-wrong")), "no password in the log");
    }
  }

  @Test
  void aKeyResetAndTheSessionsItEndsAreLogged() throws Exception {
    try (SecurityEvents events = new SecurityEvents()) {
      String name = unique("reset");
      String id = api.register(name, "password-reset").json().getString("userId");
      String token = api.login(name, "password-reset").json().getString("token");
      Api.Res r = api.call("DELETE", "/api/v1/e2e/keys", token, new JsonObject().put("password", "password-reset").encode());
      assertEquals(200, r.status(), Bodies.safe(r));
      String newToken = r.json().getString("token");
      assertFalse(events.of("key_reset", "userId=" + id).isEmpty(), events.lines().toString());
      assertFalse(events.of("sessions_ended", "userId=" + id).isEmpty(), events.lines().toString());
      assertTrue(events.lines().stream().noneMatch(l -> l.contains("password-reset") || l.contains(token)
          || l.contains(newToken)), "no password or token in the log");
    }
  }

  @Test
  void closedRegistrationIsRefusedButLoginStillWorks() throws Exception {
    try (TestNode closed = TestNode.start(Map.of("auth.registration", "closed", "metrics.enabled", false))) {
      Api.Res r = closed.api().register(unique("closed"), "password-closed");
      assertEquals(403, r.status(), r.raw());
      assertEquals("registration_closed", r.errorCode());
      Api.Res login = closed.api().login("closed-nobody", "password-closed");
      assertEquals(400, login.status(), Bodies.safe(login));
      assertEquals("invalid_credentials", login.errorCode());
    }
  }

  @Test
  void meDescribesTheCaller() {
    Api.User u = api.newUser("me");
    Api.Res r = api.get("/api/v1/me", u.token());
    assertEquals(200, r.status(), r.raw());
    JsonObject b = r.json();
    assertEquals(u.id(), b.getString("userId"));
    assertEquals(u.username(), b.getString("username"));
    assertEquals(new JsonArray().add("user"), b.getJsonArray("roles"));
    assertEquals(false, b.getJsonObject("e2e").getBoolean("hasKeys"));
    assertFalse(r.raw().contains("passwordHash"), "never exposes the hash");
    Api.Res anonymous = api.get("/api/v1/me", null);
    assertEquals(401, anonymous.status());
    assertEquals("unauthorized", anonymous.errorCode());
  }
}
