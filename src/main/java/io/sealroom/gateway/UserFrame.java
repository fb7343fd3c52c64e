package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a user's event-bus address: a frame encoded once for all of the user's
 * sockets, and a room whose live subscriptions those sockets must drop (membership removed), or null.
 */
public record UserFrame(Buffer frame, String revokedRoom) {
}
