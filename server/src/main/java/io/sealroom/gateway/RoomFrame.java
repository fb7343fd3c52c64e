package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * What travels on a room's event-bus address: a frame's JSON, the same encoded once as the
 * WebSocket frame written to every local subscriber ({@code wire}), its seq (0 for frames that
 * are not stored messages, such as typing), the connection that must not get it (or null), and
 * when it was published (for the fan-out latency metric).
 */
public record RoomFrame(long seq, Buffer frame, ByteBuf wire, String exceptConnection, long publishedNanos) {

  public RoomFrame(long seq, Buffer frame, String exceptConnection, long publishedNanos) {
    this(seq, frame, WireFrames.shared(frame), exceptConnection, publishedNanos);
  }
}
