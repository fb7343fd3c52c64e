package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a user's event-bus address: a frame encoded once for all of the user's
 * sockets (or null), a room whose live subscriptions those sockets must drop (membership
 * removed; or null), and whether the user's sessions ended (their sockets are closed).
 */
public record UserFrame(Buffer frame, String revokedRoom, boolean endSessions) {
  public UserFrame(Buffer frame, String revokedRoom) {
    this(frame, revokedRoom, false);
  }
}
