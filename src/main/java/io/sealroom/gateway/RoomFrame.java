package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a room's event-bus address: a frame encoded once, its seq (0 for frames that
 * are not stored messages, such as typing), the connection that must not get it (or null), and
 * when it was published (for the fan-out latency metric).
 */
public record RoomFrame(long seq, Buffer frame, String exceptConnection, long publishedNanos) {
}
