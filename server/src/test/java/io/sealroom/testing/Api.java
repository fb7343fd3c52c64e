package io.sealroom.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** A small blocking REST client over the JDK HTTP client, for tests. */
public final class Api {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Supplier<String> base;

  public Api(String base) {
    this(() -> base);
  }

  /** Asks for the base URL at each call, so it can be made before the node it calls has started. */
  public Api(Supplier<String> base) {
    this.base = base;
  }

  /** A response: status and body parsed as JSON when it is an object. */
  public record Res(int status, String raw) {
    public JsonObject json() {
      return raw == null || raw.isEmpty() ? new JsonObject() : new JsonObject(raw);
    }

    public String errorCode() {
      JsonObject e = json().getJsonObject("error");
      return e == null ? null : e.getString("code");
    }
  }

  /** A registered and logged-in user. */
  public record User(String id, String username, String token) {
  }

  public Res call(String method, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Res(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** The value of a gauge of the node's /metrics (its first sample), or an assertion error. */
  public double gauge(String name) {
    Res r = get("/metrics", null);
    if (r.status() != 200) {
      throw new AssertionError("GET /metrics answered " + r.status());
    }
    String line = r.raw().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " sample"));
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The gauge once it reads the expected value, or its last value after the time. */
  public double awaitGauge(String name, double expected, long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    double v = gauge(name);
    while (v != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      v = gauge(name);
    }
    return v;
  }

  public Res get(String path, String token) {
    return call("GET", path, token, null);
  }

  public Res post(String path, String token, JsonObject body) {
    return call("POST", path, token, body.encode());
  }

  public Res patch(String path, String token, JsonObject body) {
    return call("PATCH", path, token, body.encode());
  }

  public Res delete(String path, String token) {
    return call("DELETE", path, token, null);
  }

  public Res register(String username, String password) {
    return post("/api/v1/auth/register", null, new JsonObject().put("username", username).put("password", password));
  }

  public Res login(String username, String password) {
    return post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
  }

  /** Registers and logs in a fresh user with a unique name (prefix + random suffix). */
  public User newUser(String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    Res r = register(name, "password-" + name);
    if (r.status() != 201) {
      throw new IllegalStateException("register failed: " + r);
    }
    Res l = login(name, "password-" + name);
    if (l.status() != 200) {
      throw new IllegalStateException("login failed: " + l);
    }
    return new User(l.json().getString("userId"), name, l.json().getString("token"));
  }

  /** A fresh user (see {@link #newUser}) who has uploaded E2E keys wrapped with this many iterations. */
  public User newUserWithKeys(String prefix, int iterations) {
    User u = newUser(prefix);
    Res r = call("PUT", "/api/v1/e2e/keys", u.token(), E2eShapes.keysBody(iterations).encode());
    if (r.status() != 200) {
      throw new IllegalStateException("key upload failed: " + r);
    }
    return u;
  }

  /** Creates a room owned by the user; returns its id. */
  public String createRoom(User owner, String type, String name, List<String> members) {
    JsonObject body = new JsonObject().put("type", type).put("members", new JsonArray(members));
    if (name != null) {
      body.put("name", name);
    }
    Res r = post("/api/v1/rooms", owner.token(), body);
    if (r.status() != 201 && r.status() != 200) {
      throw new IllegalStateException("create room failed: " + r);
    }
    return r.json().getString("id");
  }
}
