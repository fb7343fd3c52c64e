package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Server-to-client WebSocket text frames encoded to their bytes on the wire (FIN, opcode 1, no
 * mask): a fan-out frame is encoded once and the same bytes go to every subscriber, so nothing
 * is copied or framed again per connection.
 */
final class WireFrames {
  private WireFrames() {
  }

  /** Bytes on the wire of a frame with this payload. */
  static int length(Buffer payload) {
    int len = payload.length();
    return (len < 126 ? 2 : len < 65536 ? 4 : 10) + len;
  }

  /**
   * A shared frame for many connections: direct memory (the kernel reads it without a copy)
   * owned by the garbage collector, wrapped so that the per-connection duplicates Netty
   * releases after writing never free it.
   */
  static ByteBuf shared(Buffer payload) {
    ByteBuf b = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(length(payload))).clear();
    write(b, payload);
    return Unpooled.unreleasableBuffer(b);
  }

  /** Appends the frame (header, then payload) to {@code out}. */
  static void write(ByteBuf out, Buffer payload) {
    ByteBuf p = ((BufferInternal) payload).getByteBuf();
    int len = p.readableBytes();
    writeHeader(out, len);
    out.writeBytes(p, p.readerIndex(), len);
  }

  private static void writeHeader(ByteBuf b, int len) {
    b.writeByte(0x81);
    if (len < 126) {
      b.writeByte(len);
    } else if (len < 65536) {
      b.writeByte(126);
      b.writeShort(len);
    } else {
      b.writeByte(127);
      b.writeLong(len);
    }
  }
}
