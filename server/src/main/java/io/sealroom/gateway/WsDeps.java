package io.sealroom.gateway;

import io.sealroom.config.Config;
import io.sealroom.limits.Limits;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomService;

/**
 * What the WebSocket side of a gateway instance uses ({@link WsEndpoint}, {@link WsSession} and
 * its {@link RoomFeeds}): the ws.* limits, token checks, room membership, sending, each user's
 * send budget (ws.sendRatePerSecond, on every node; see {@link SendLimiter#userBudget}) and the
 * connection and send metrics. Built once per node by Node and shared by every gateway instance;
 * every component is thread-safe.
 */
public record WsDeps(Config.Ws limits, Authenticator authenticator, RoomService rooms, MessageService messages,
    Limits.Buckets sendBudget, GatewayMetrics metrics) {
}
