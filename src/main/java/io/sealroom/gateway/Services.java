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
import io.vertx.core.Future;
import java.util.function.Supplier;

/** What the gateway needs, built once by Main and shared by every gateway instance (all thread-safe). */
public record Services(Config config, AuthService auth, TokenService tokens, SessionGuard sessions, UserStore users,
    RoomService rooms, MessageService messages, KeyService keys, RoomKeyService roomKeys,
    Supplier<Future<Void>> storeProbe, GatewayMetrics metrics) {

  /** The caller a bearer token names, provided the token is valid and its session was not ended. */
  public Future<io.sealroom.auth.AuthUser> authenticate(String token) {
    return tokens.verify(token).compose(sessions::check);
  }
}
