package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a user's event-bus address: a frame encoded once for all of the user's
 * sockets (or null), a room whose live subscriptions those sockets must drop (membership
 * removed; or null), and, when the user's sessions ended, the login session whose sockets stay
 * open ("" for none; null when no session ended) and the cut-off time of the older tokens. A
 * node applies the cut-off before it closes the sockets, so that once a client sees its socket
 * closed, that node refuses the ended session's token too.
 */
public record UserFrame(Buffer frame, String revokedRoom, String endSessionsBut, long validAfterMs) {
  public UserFrame(Buffer frame, String revokedRoom) {
    this(frame, revokedRoom, null, 0);
  }
}
