package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a room's event-bus address: a frame's JSON, the same encoded once as the
 * WebSocket frame written to every local subscriber ({@code wire}, made by
 * {@link NettyAccess#sharedFrame} and opaque to everything else: it is written as it is, with
 * no per-delivery conversion), its seq (0 for frames that are not stored messages, such as
 * typing), the connection that must not get it (or null), and when it was published (for the
 * fan-out latency metric).
 */
public record RoomFrame(long seq, Buffer frame, Object wire, String exceptConnection, long publishedNanos) {

  public RoomFrame(long seq, Buffer frame, String exceptConnection, long publishedNanos) {
    this(seq, frame, NettyAccess.sharedFrame(frame), exceptConnection, publishedNanos);
  }
}
