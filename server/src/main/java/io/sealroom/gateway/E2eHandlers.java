package io.sealroom.gateway;

import static io.sealroom.gateway.RestApi.body;
import static io.sealroom.gateway.RestApi.reply;
import static io.sealroom.gateway.RestApi.user;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.rooms.RoomKeyService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The E2E routes: a user's own keys, other users' public keys, and room keys. One per gateway
 * instance; its handlers run on that instance's event loop.
 */
final class E2eHandlers {
  private final E2eDeps s;

  E2eHandlers(E2eDeps s) {
    this.s = s;
  }

  void getOwnKeys(RoutingContext ctx) {
    reply(ctx, 200, s.keys().own(user(ctx).id()), E2eJson::own);
  }

  void putOwnKeys(RoutingContext ctx) {
    var keys = E2eJson.userKeys(body(ctx));
    reply(ctx, 200, s.keys().put(user(ctx).id(), keys),
        r -> new JsonObject().put("ok", true).put("result", r.name().toLowerCase(java.util.Locale.ROOT))
            .put("ukid", keys.ukid()));
  }

  /**
   * Key reset: re-checks the login password, drops the keys and ends the user's other sessions
   * (this one goes on; a fresh token is included for clients that prefer to switch).
   */
  void deleteOwnKeys(RoutingContext ctx) {
    String password = JsonFields.requiredStr(body(ctx), "password");
    AuthUser caller = user(ctx);
    reply(ctx, 200, s.keys().requireEnabled()
            .compose(v -> s.auth().checkPassword(caller.id(), password))
            .compose(v -> s.keys().reset(caller.id()))
            .compose(v -> s.sessions().endAllBut(caller.id(), caller.sid(), "key_reset"))
            .map(v -> s.tokens().issue(caller.id(), caller.username())),
        r -> new JsonObject().put("ok", true).put("token", r.token()).put("userId", r.userId())
            .put("username", r.username()).put("expiresAt", r.expiresAt()));
  }

  /** The caller's encrypted verified list (docs/protocol.md "The verified list"). */
  void getVerified(RoutingContext ctx) {
    reply(ctx, 200, s.verified().get(user(ctx).id()),
        st -> new JsonObject().put("rev", st.rev()).put("blob", st.blob()));
  }

  void putVerified(RoutingContext ctx) {
    JsonObject b = body(ctx);
    Long rev = JsonFields.seq(b, "rev");
    if (rev == null) {
      throw ApiException.invalid("rev", "is required");
    }
    Object blob = b.getValue("blob");
    if (!(blob instanceof JsonObject o)) {
      throw ApiException.invalid("blob", "must be an object");
    }
    reply(ctx, 200, s.verified().put(user(ctx).id(), rev, o), r -> new JsonObject().put("ok", true).put("rev", r));
  }

  void getUserKeys(RoutingContext ctx) {
    reply(ctx, 200, s.keys().of(ctx.pathParam("uid")), E2eJson::publicParts);
  }

  void getUserKeyHistory(RoutingContext ctx) {
    reply(ctx, 200, s.keys().versions(ctx.pathParam("uid")), E2eJson::history);
  }

  void establish(RoutingContext ctx) {
    JsonObject b = body(ctx);
    reply(ctx, 200, s.roomKeys().establish(user(ctx), ctx.pathParam("rid"), JsonFields.str(b, "kid"),
        E2eJson.memberKey(b, "key")), Frames::room);
  }

  void ownRoomKey(RoutingContext ctx) {
    reply(ctx, 200, s.roomKeys().mine(user(ctx), ctx.pathParam("rid")), E2eJson::memberKeys);
  }

  void waiting(RoutingContext ctx) {
    reply(ctx, 200, s.roomKeys().waiting(user(ctx), ctx.pathParam("rid")), list -> {
      JsonArray users = new JsonArray();
      list.forEach(w -> users.add(Frames.waitingUser(w)));
      return new JsonObject().put("users", users);
    });
  }

  void handOver(RoutingContext ctx) {
    Object raw = body(ctx).getValue("keys");
    if (!(raw instanceof JsonArray)) {
      throw ApiException.invalid("keys", "must be an array of {userId, key}");
    }
    List<RoomKeyService.Grant> grants = new ArrayList<>();
    int i = 0;
    for (Object o : (JsonArray) raw) {
      if (!(o instanceof JsonObject)) {
        throw ApiException.invalid("keys[" + i + "]", "must be an object {userId, key}");
      }
      JsonObject g = (JsonObject) o;
      grants.add(new RoomKeyService.Grant(JsonFields.requiredStr(g, "userId"), E2eJson.memberKey(g, "key")));
      i++;
    }
    reply(ctx, 200, s.roomKeys().handOver(user(ctx), ctx.pathParam("rid"), grants),
        n -> new JsonObject().put("ok", true).put("stored", n));
  }

  void rotate(RoutingContext ctx) {
    JsonObject b = body(ctx);
    reply(ctx, 200, s.roomKeys().rotate(user(ctx), ctx.pathParam("rid"), JsonFields.str(b, "previousKid"),
        JsonFields.str(b, "kid"), E2eJson.memberKey(b, "key")), Frames::room);
  }
}
