package io.sealroom.gateway;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The REST surface (docs/protocol.md): the route table, bearer-token authentication, body
 * parsing and the one place where errors become HTTP statuses and {"error":{code,message}}.
 * Handlers live in {@link RestHandlers}, {@link E2eHandlers}, {@link KtHandlers} and
 * {@link HealthCheck}. A router per gateway instance, confined to its event loop.
 */
final class RestApi {
  private static final Logger LOG = Logger.getLogger(RestApi.class.getName());
  static final long MAX_BODY = 256 * 1024;
  static final String USER = "sealroom.user";
  private static final String BODY = "sealroom.body";

  private RestApi() {
  }

  /** The routes of one gateway instance: {@code s} for the REST routes, {@code e2eDeps} for the E2E ones. */
  static Router router(Vertx vertx, RestDeps s, E2eDeps e2eDeps, HttpGuard guard) {
    Router r = Router.router(vertx);
    RestHandlers h = new RestHandlers(s);
    FileHandlers files = new FileHandlers(s.files(), guard, s.sendBudget());
    E2eHandlers e = new E2eHandlers(e2eDeps);
    r.route().handler(RestApi::noStore);
    r.route().handler(RestApi::strictUrl);
    r.get("/health").handler(s.health()::handle);
    if (s.config().metrics().enabled()) {
      r.get("/metrics").handler(PrometheusScrapingHandler.create(s.metrics().registryName()));
    }
    r.route("/api/*").handler(RestApi::readBody);
    r.post("/api/v1/auth/register").handler(h::register);
    r.post("/api/v1/auth/login").handler(h::login);
    // the key-transparency log: no token (auditors read it); with E2E off, e2e_disabled
    KtHandlers kt = new KtHandlers(e2eDeps.kt());
    r.route("/api/v1/kt/*").handler(ctx -> requireE2e(ctx, s));
    r.get("/api/v1/kt/head").handler(kt::head);
    r.get("/api/v1/kt/proof").handler(kt::proof);
    r.get("/api/v1/kt/consistency").handler(kt::consistency);
    r.get("/api/v1/kt/leaves").handler(kt::leaves);
    r.route("/api/v1/*").handler(ctx -> authenticate(ctx, s.authenticator()));
    r.get("/api/v1/me").handler(h::me);
    r.get("/api/v1/users").handler(h::findUser);
    r.post("/api/v1/rooms").handler(h::createRoom);
    r.get("/api/v1/rooms").handler(h::listRooms);
    r.get("/api/v1/rooms/:rid").handler(h::getRoom);
    r.patch("/api/v1/rooms/:rid").handler(h::updateRoom);
    r.post("/api/v1/rooms/:rid/members").handler(h::addMember);
    r.delete("/api/v1/rooms/:rid/members/:uid").handler(h::removeMember);
    r.get("/api/v1/rooms/:rid/messages").handler(h::history);
    r.post("/api/v1/rooms/:rid/messages").handler(h::send);
    r.get("/api/v1/search").handler(h::search);
    r.post("/api/v1/rooms/:rid/files").handler(files::upload);
    r.get("/api/v1/files/:fid").handler(files::download);
    r.head("/api/v1/files/:fid").handler(files::download);
    r.delete("/api/v1/files/:fid").handler(files::delete);
    r.post("/api/v1/admin/backups").handler(h::backup);
    // with E2E off every E2E route answers e2e_disabled, before its body is even looked at
    for (String path : new String[] {"/api/v1/e2e/*", "/api/v1/me/verified", "/api/v1/users/:uid/keys", "/api/v1/users/:uid/keys/history",
        "/api/v1/rooms/:rid/e2e/*"}) {
      r.route(path).handler(ctx -> requireE2e(ctx, s));
    }
    r.get("/api/v1/e2e/keys").handler(e::getOwnKeys);
    r.get("/api/v1/me/verified").handler(e::getVerified);
    r.put("/api/v1/me/verified").handler(e::putVerified);
    r.put("/api/v1/e2e/keys").handler(e::putOwnKeys);
    r.delete("/api/v1/e2e/keys").handler(e::deleteOwnKeys);
    r.get("/api/v1/users/:uid/keys").handler(e::getUserKeys);
    r.get("/api/v1/users/:uid/keys/history").handler(e::getUserKeyHistory);
    r.post("/api/v1/rooms/:rid/e2e/key-id").handler(e::establish);
    r.get("/api/v1/rooms/:rid/e2e/key").handler(e::ownRoomKey);
    r.get("/api/v1/rooms/:rid/e2e/waiting").handler(e::waiting);
    r.post("/api/v1/rooms/:rid/e2e/keys").handler(e::handOver);
    r.post("/api/v1/rooms/:rid/e2e/rotate").handler(e::rotate);
    r.route("/*").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.HEAD)
        .handler(WebClient.handler());
    r.route().last().handler(ctx -> fail(ctx, ApiException.notFound("route " + ctx.request().method() + " " + ctx.request().path())));
    r.route().failureHandler(RestApi::onFailure);
    r.errorHandler(405, ctx -> fail(ctx, new ApiException(ErrorCode.NOT_FOUND, "no such method on " + ctx.request().path())));
    return r;
  }

  private static void requireE2e(RoutingContext ctx, RestDeps s) {
    if (s.keys().enabled()) {
      ctx.next();
    } else {
      fail(ctx, new ApiException(ErrorCode.E2E_DISABLED, "end-to-end encryption is disabled on this server"));
    }
  }

  /**
   * Answers are not cached, and not compressed: they are small or ciphertext, and the CPU is for
   * fan-out (the web client's files are compressed: WebClient lifts this).
   */
  private static void noStore(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store")
        .putHeader(io.vertx.core.http.HttpHeaders.CONTENT_ENCODING, io.vertx.core.http.HttpHeaders.IDENTITY);
    ctx.next();
  }

  /** A path or query whose percent-escapes are not UTF-8 is refused, never decoded to U+FFFD. */
  private static void strictUrl(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (!io.sealroom.common.StrictText.validPercentEncoded(uri)) {
      fail(ctx, ApiException.invalid("url", "has percent-escapes that are not UTF-8"));
      return;
    }
    ctx.next();
  }

  /**
   * Collects the request body up to MAX_BODY bytes, whatever its content type says: bodies are
   * JSON (form parsing would refuse a JSON body sent as x-www-form-urlencoded).
   */
  private static void readBody(RoutingContext ctx) {
    if (FileHandlers.isUpload(ctx.request())) {
      ctx.request().pause(); // the upload route streams it, once the caller is known
      ctx.next();
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY) {
      fail(ctx, tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    ctx.request().handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY) {
        if (!ctx.response().ended()) {
          fail(ctx, tooLarge());
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    ctx.request().endHandler(v -> {
      if (!ctx.response().ended()) {
        ctx.put(BODY, body);
        ctx.next();
      }
    });
    ctx.request().resume();
  }

  private static ApiException tooLarge() {
    return new ApiException(ErrorCode.TOO_LARGE, "the request body is larger than " + MAX_BODY + " bytes");
  }

  private static void authenticate(RoutingContext ctx, Authenticator authenticator) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    authenticator.authenticate(token).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ApiException.from(ar.cause()));
        return;
      }
      ctx.put(USER, ar.result());
      ctx.next();
    });
  }

  static AuthUser user(RoutingContext ctx) {
    return ctx.get(USER);
  }

  /** The request body as a JSON object; malformed or absent is invalid_request. */
  static JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.get(BODY);
    if (raw == null || raw.length() == 0) {
      throw ApiException.invalid("body", "a JSON object is required");
    }
    JsonObject json;
    try {
      json = new JsonObject(io.sealroom.common.StrictText.utf8(raw.getBytes(), "body"));
    } catch (DecodeException | ClassCastException e) {
      throw ApiException.invalid("body", "malformed JSON object");
    }
    io.sealroom.common.StrictText.checkJson(json, "body");
    return json;
  }

  /** Ends the request with the future's result as JSON (status 200 or the given one) or its error. */
  static <T> void reply(RoutingContext ctx, int status, Future<T> f, java.util.function.Function<T, Object> toJson) {
    f.onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      Object json = toJson.apply(ar.result());
      if (json == null) {
        ctx.response().setStatusCode(204).end();
        return;
      }
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(String.valueOf(json));
    });
  }

  static void fail(RoutingContext ctx, Throwable t) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ApiException e;
    if (t instanceof ApiException) {
      e = (ApiException) t;
    } else {
      LOG.log(Level.WARNING, "request failed: " + ctx.request().method() + " " + ctx.request().path(), t);
      e = new ApiException(ErrorCode.UNAVAILABLE, "internal error, retry later");
    }
    int status = e.code() == ErrorCode.UNAVAILABLE && !(t instanceof ApiException) ? 500 : e.code().httpStatus();
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", Frames.errorObject(e)).encode());
  }

  private static void onFailure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof ApiException) {
      fail(ctx, t);
    } else if (ctx.statusCode() == 413) {
      fail(ctx, tooLarge());
    } else if (ctx.statusCode() == 400) {
      fail(ctx, ApiException.invalid("body", "malformed request"));
    } else if (t == null && ctx.statusCode() > 0) {
      fail(ctx, ctx.statusCode() == 401 ? new ApiException(ErrorCode.UNAUTHORIZED, "unauthorized")
          : new ApiException(ErrorCode.INVALID_REQUEST, "request refused (" + ctx.statusCode() + ")"));
    } else {
      fail(ctx, t);
    }
  }
}
