package io.sealroom.gateway;

import static io.sealroom.gateway.RestApi.body;
import static io.sealroom.gateway.RestApi.reply;
import static io.sealroom.gateway.RestApi.user;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.messages.Ack;
import io.sealroom.messages.Message;
import io.sealroom.messages.SendRequest;
import io.sealroom.rooms.CreateRoom;
import io.sealroom.rooms.RoomView;
import io.sealroom.users.Usernames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The REST handlers: parse and type-check input, call one service, shape the answer. One per
 * gateway instance; its handlers run on that instance's event loop.
 */
final class RestHandlers {
  private final RestDeps s;

  RestHandlers(RestDeps s) {
    this.s = s;
  }

  void register(RoutingContext ctx) {
    JsonObject b = body(ctx);
    reply(ctx, 201, s.auth().register(JsonFields.str(b, "username"), JsonFields.str(b, "password"),
            HttpGuard.addressOf(s.clientAddress(), ctx.request())),
        u -> new JsonObject().put("userId", u.id()).put("username", u.username()));
  }

  void login(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String address = HttpGuard.addressOf(s.clientAddress(), ctx.request());
    reply(ctx, 200, s.auth().login(JsonFields.str(b, "username"), JsonFields.str(b, "password"), address),
        r -> new JsonObject().put("token", r.token()).put("userId", r.userId()).put("username", r.username())
            .put("expiresAt", r.expiresAt()));
  }

  /** The stored roles, plus admin for the usernames of auth.admins. */
  private JsonArray roles(io.sealroom.users.User u) {
    JsonArray roles = new JsonArray(new java.util.ArrayList<>(u.roles()));
    if (s.config().auth().isAdmin(u.username()) && !roles.contains("admin")) {
      roles.add("admin");
    }
    return roles;
  }

  /** POST /api/v1/admin/backups: an online backup of the embedded store (admins only). */
  void backup(RoutingContext ctx) {
    if (!s.config().auth().isAdmin(user(ctx).username())) {
      RestApi.fail(ctx, new ApiException(io.sealroom.common.ErrorCode.FORBIDDEN, "only an admin may make backups"));
      return;
    }
    reply(ctx, 201, s.backup().get(), b -> new JsonObject().put("backup", b));
  }

  void me(RoutingContext ctx) {
    String uid = user(ctx).id();
    reply(ctx, 200, Future.all(s.users().findById(uid), s.keys().hasKeys(uid)).compose(cf -> cf.resultAt(0) == null
            ? Future.failedFuture(new ApiException(io.sealroom.common.ErrorCode.UNAUTHORIZED, "the account no longer exists"))
            : Future.succeededFuture(cf)),
        cf -> {
          io.sealroom.users.User u = cf.resultAt(0);
          return new JsonObject().put("userId", u.id()).put("username", u.username()).put("roles", roles(u))
              .put("e2e", e2eSettings().put("hasKeys", (Boolean) cf.resultAt(1)));
        });
  }

  /** What a client needs to follow the server's E2E settings (defaults of the Encrypted toggle, KDF floor). */
  private JsonObject e2eSettings() {
    var e2e = s.config().e2e();
    return new JsonObject().put("enabled", e2e.enabled())
        .put("defaultEncrypted", new JsonObject().put("private", e2e.defaultEncryptedPrivate())
            .put("direct", e2e.defaultEncryptedDirect()))
        .put("minKdfIterations", e2e.minKdfIterations())
        .put("allowDisable", e2e.allowDisable());
  }

  void findUser(RoutingContext ctx) {
    String raw = ctx.request().getParam("username");
    if (raw == null || raw.isBlank()) {
      throw ApiException.invalid("username", "is required");
    }
    String name = Usernames.parse(raw);
    reply(ctx, 200, s.users().findByUsername(name), u -> new JsonObject().put("users", u == null ? new JsonArray()
        : new JsonArray().add(new JsonObject().put("id", u.id()).put("username", u.username()))));
  }

  void createRoom(RoutingContext ctx) {
    JsonObject b = body(ctx);
    CreateRoom req = new CreateRoom(JsonFields.str(b, "type"), JsonFields.str(b, "name"),
        JsonFields.strList(b, "members"), JsonFields.bool(b, "encrypted"));
    s.rooms().create(user(ctx), req).onComplete(ar -> {
      if (ar.failed()) {
        RestApi.fail(ctx, ar.cause());
        return;
      }
      ctx.response().setStatusCode(ar.result().created() ? 201 : 200).putHeader("Content-Type", "application/json")
          .end(Frames.roomView(ar.result().view()).encode());
    });
  }

  void listRooms(RoutingContext ctx) {
    reply(ctx, 200, s.rooms().listOwn(user(ctx)), list -> new JsonObject().put("rooms", views(list)));
  }

  void getRoom(RoutingContext ctx) {
    reply(ctx, 200, s.rooms().get(user(ctx), ctx.pathParam("rid")), Frames::roomView);
  }

  void updateRoom(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String name = JsonFields.str(b, "name");
    Boolean encrypted = JsonFields.bool(b, "encrypted");
    if (name == null && encrypted == null) {
      throw ApiException.invalid("name", "name or encrypted is required");
    }
    reply(ctx, 200, s.rooms().update(user(ctx), ctx.pathParam("rid"), name, encrypted), Frames::roomView);
  }

  void addMember(RoutingContext ctx) {
    String username = JsonFields.requiredStr(body(ctx), "username");
    reply(ctx, 200, s.rooms().addMember(user(ctx), ctx.pathParam("rid"), username), Frames::roomView);
  }

  void removeMember(RoutingContext ctx) {
    reply(ctx, 200, s.rooms().removeMember(user(ctx), ctx.pathParam("rid"), ctx.pathParam("uid")),
        v -> new JsonObject().put("ok", true));
  }

  void history(RoutingContext ctx) {
    Long after = JsonFields.queryLong(ctx.request().getParam("after"), "after");
    Long before = JsonFields.queryLong(ctx.request().getParam("before"), "before");
    Long limit = JsonFields.queryLong(ctx.request().getParam("limit"), "limit");
    Integer n = limit == null ? null : (int) Math.min(limit, Integer.MAX_VALUE);
    reply(ctx, 200, s.messages().history(user(ctx), ctx.pathParam("rid"), after, before, n),
        h -> new JsonObject().put("messages", messages(h.messages())).put("head", h.head()));
  }

  void send(RoutingContext ctx) {
    JsonObject b = body(ctx);
    SendRequest req = new SendRequest(ctx.pathParam("rid"), JsonFields.str(b, "cid"), JsonFields.str(b, "text"),
        JsonFields.e2e(b, "e2e"), JsonFields.strList(b, "files"));
    long start = System.nanoTime();
    io.sealroom.auth.AuthUser u = user(ctx);
    // the same per-user budget as WebSocket sends (ws.sendRatePerSecond)
    Future<Ack> stored = s.sendBudget().take(u.id()).compose(ok -> ok ? s.messages().send(u, req).acked()
        : Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "sending too fast, slow down")));
    reply(ctx, 201, stored, a -> {
      s.metrics().stored(System.nanoTime() - start);
      return new JsonObject().put("cid", a.cid()).put("id", a.id()).put("seq", a.seq()).put("ts", a.ts());
    });
  }

  void search(RoutingContext ctx) {
    reply(ctx, 200, s.messages().search(user(ctx), ctx.request().getParam("q")),
        list -> new JsonObject().put("messages", messages(list)));
  }

  private static JsonArray views(List<RoomView> list) {
    JsonArray a = new JsonArray();
    list.forEach(v -> a.add(Frames.roomView(v)));
    return a;
  }

  private static JsonArray messages(List<Message> list) {
    JsonArray a = new JsonArray();
    list.forEach(m -> a.add(Frames.message(m)));
    return a;
  }
}
