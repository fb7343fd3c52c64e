package io.sealroom.gateway;

import io.sealroom.auth.AuthService;
import io.sealroom.auth.TokenService;
import io.sealroom.config.Config;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomService;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** What the gateway needs, built once by Main and shared by every gateway instance (all thread-safe). */
public record Services(Config config, AuthService auth, TokenService tokens, UserStore users, RoomService rooms,
    MessageService messages, Supplier<Future<Void>> storeProbe, GatewayMetrics metrics) {
}
