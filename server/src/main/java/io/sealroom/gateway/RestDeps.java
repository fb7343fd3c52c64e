package io.sealroom.gateway;

import io.sealroom.auth.AuthService;
import io.sealroom.common.ClientAddress;
import io.sealroom.config.Config;
import io.sealroom.keys.KeyService;
import io.sealroom.limits.Limits;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomService;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What the REST routes use ({@link RestApi} and {@link RestHandlers}; the E2E routes have
 * {@link E2eDeps}, /health its {@link HealthCheck}): the config (admins, E2E settings, whether
 * /metrics is served), token checks, the client address behind a trusted proxy, the feature
 * services, each user's send budget (the WebSocket's, see {@link SendLimiter#userBudget}), the
 * metrics, the online backup and the files. Built once per node by Node and shared by every gateway
 * instance; every component is thread-safe.
 */
public record RestDeps(Config config, Authenticator authenticator, ClientAddress clientAddress, AuthService auth,
    UserStore users, RoomService rooms, MessageService messages, KeyService keys, Limits.Buckets sendBudget,
    GatewayMetrics metrics, HealthCheck health, Supplier<Future<JsonObject>> backup,
    io.sealroom.files.FileService files) {
}
