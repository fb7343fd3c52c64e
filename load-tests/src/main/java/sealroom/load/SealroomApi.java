package sealroom.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The REST part of a Sealroom fan-out setup: users, tokens and one public channel they all join. */
final class SealroomApi {
  private static final String PASSWORD = "load-test-password";

  private final Opts o;
  private final HttpClientAgent http;

  SealroomApi(Vertx vertx, Opts o) {
    this.o = o;
    // The pool is the concurrency bound: more requests in flight only queue on the server's
    // Argon2 worker pool and make registration slower, not faster.
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(o.host()).setDefaultPort(o.port())
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(o.restConcurrency));
  }

  /** Result of setup: the publisher's token, the room id and one token per subscriber. */
  record Setup(String ownerToken, String roomId, List<String> subTokens) { }

  Future<Setup> setup(int subs) {
    // Fresh names each run, so a server that keeps its data (a dir store) can be reused.
    String run = "lt" + Long.toString(System.currentTimeMillis(), 36);
    // A public channel each subscriber joins itself; with --encrypted a private group (encrypted)
    // that the owner adds each subscriber to.
    JsonObject create = o.encrypted ? new JsonObject().put("type", "p").put("name", run).put("encrypted", true)
        : new JsonObject().put("type", "c").put("name", run);
    return user(run + "-owner")
        .compose(owner -> post("/api/v1/rooms", owner, create)
            .compose(room -> {
              String rid = room.getString("id");
              return bounded(subs, o.restConcurrency, i -> {
                String name = run + "-" + i;
                return user(name).compose(tok ->
                    post("/api/v1/rooms/" + rid + "/members", o.encrypted ? owner : tok, new JsonObject().put("username", name)).map(tok));
              }).map(toks -> new Setup(owner, rid, toks));
            }));
  }

  /** Registers n users named prefix-0 .. prefix-(n-1) with bounded concurrency; returns their tokens. */
  Future<List<String>> users(String prefix, int n) {
    return bounded(n, o.restConcurrency, i -> user(prefix + "-" + i));
  }

  /** Creates a room owned by token's user with these other members (usernames); returns the room object. */
  Future<JsonObject> room(String token, String type, String name, List<String> members, boolean encrypted) {
    JsonObject body = new JsonObject().put("type", type).put("name", name).put("members", new io.vertx.core.json.JsonArray(members));
    if (encrypted) body.put("encrypted", true);
    return post("/api/v1/rooms", token, body);
  }

  /** Registers a user and logs in; returns the token. */
  Future<String> user(String name) {
    JsonObject cred = new JsonObject().put("username", name).put("password", PASSWORD);
    return post("/api/v1/auth/register", null, cred)
        .compose(r -> post("/api/v1/auth/login", null, cred))
        .map(r -> r.getString("token"));
  }

  Future<JsonObject> post(String path, String token, JsonObject body) { return call(HttpMethod.POST, path, token, body); }

  Future<JsonObject> put(String path, String token, JsonObject body) { return call(HttpMethod.PUT, path, token, body); }

  Future<JsonObject> get(String path, String token) { return call(HttpMethod.GET, path, token, null); }

  private Future<JsonObject> call(HttpMethod method, String path, String token, JsonObject body) {
    RequestOptions ro = new RequestOptions().setMethod(method).setURI(path)
        .putHeader("content-type", "application/json");
    if (token != null) ro.putHeader("authorization", "Bearer " + token);
    return http.request(ro)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + resp.statusCode() + " " + b);
          return b.length() == 0 ? new JsonObject() : b.toJsonObject();
        }));
  }

  /** Runs task(0..n-1) with at most conc in flight; fails on the first failure. */
  static <T> Future<List<T>> bounded(int n, int conc, IntFunction<Future<T>> task) {
    Promise<List<T>> p = Promise.promise();
    if (n == 0) return Future.succeededFuture(new ArrayList<>());
    Object[] out = new Object[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n || failed.get()) return;
      task.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          failed.set(true);
          p.tryFail(ar.cause());
          return;
        }
        out[i] = ar.result();
        if (done.incrementAndGet() == n) {
          @SuppressWarnings("unchecked") List<T> l = (List<T>) Arrays.asList(out);
          p.tryComplete(l);
        } else {
          worker[0].run();
        }
      });
    };
    for (int c = 0; c < Math.min(conc, n); c++) worker[0].run();
    return p.future();
  }
}
