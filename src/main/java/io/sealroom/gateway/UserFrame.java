package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a user's event-bus address: a frame encoded once for all of the user's
 * sockets (or null), a room whose live subscriptions those sockets must drop (membership
 * removed; or null), and, when the user's sessions ended, the login session whose sockets stay
 * open ("" for none; null when no session ended).
 */
public record UserFrame(Buffer frame, String revokedRoom, String endSessionsBut) {
  public UserFrame(Buffer frame, String revokedRoom) {
    this(frame, revokedRoom, null);
  }
}
