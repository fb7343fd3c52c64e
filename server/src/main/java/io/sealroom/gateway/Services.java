package io.sealroom.gateway;

import io.sealroom.auth.AuthService;
import io.sealroom.auth.SessionGuard;
import io.sealroom.keys.KeyService;
import io.sealroom.rooms.RoomKeyService;
import io.sealroom.auth.TokenService;
import io.sealroom.config.Config;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomService;
import io.sealroom.users.UserStore;
import io.sealroom.limits.Limits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What the gateway needs, built once by Main and shared by every gateway instance (all thread-safe). {@code sendBudget} holds
 * each user's sends (ws.sendRatePerSecond, on every node); {@code clusterView} describes the
 * cluster for /health.
 */
public record Services(Config config, AuthService auth, TokenService tokens, SessionGuard sessions, UserStore users,
    RoomService rooms, MessageService messages, KeyService keys, RoomKeyService roomKeys,
    Supplier<Future<Void>> storeProbe, String storeEngine, Supplier<Future<JsonObject>> backup, GatewayMetrics metrics, Limits.Buckets sendBudget,
    Supplier<JsonObject> clusterView, io.sealroom.common.ClientAddress clientAddress) {

  /** The client address of a request: its peer, or what a trusted proxy forwarded (http.trustedProxies). */
  public String addressOf(io.vertx.core.http.HttpServerRequest req) {
    return clientAddress.resolve(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        req.headers().getAll("X-Forwarded-For"));
  }

  /** The caller a bearer token names, provided the token is valid and its session was not ended. */
  public Future<io.sealroom.auth.AuthUser> authenticate(String token) {
    return tokens.verify(token).compose(sessions::check);
  }

  /** Each user's send budget: ws.sendRatePerSecond with bursts of ten seconds' worth; none for 0. */
  public static Limits.Buckets sendBudget(Limits limits, int ratePerSecond) {
    if (ratePerSecond == 0) {
      Future<Boolean> yes = Future.succeededFuture(true);
      return uid -> yes;
    }
    return limits.buckets("sends", ratePerSecond, SendLimiter.BURST_SECONDS);
  }
}
