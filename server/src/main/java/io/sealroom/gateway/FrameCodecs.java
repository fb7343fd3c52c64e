package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * Event-bus codecs for {@link RoomFrame} and {@link UserFrame}. Locally the same object (and so
 * the same frame bytes) reaches every consumer; across a cluster the bytes are copied once per node.
 */
public final class FrameCodecs {
  private FrameCodecs() {
  }

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(RoomFrame.class, new RoomCodec());
    bus.registerDefaultCodec(UserFrame.class, new UserCodec());
  }

  private static void putString(Buffer b, String s) {
    if (s == null) {
      b.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String getString(Buffer b, int pos) {
    int len = b.getInt(pos);
    return len < 0 ? null : b.getString(pos + 4, pos + 4 + len, "UTF-8");
  }

  private static int stringSize(Buffer b, int pos) {
    int len = b.getInt(pos);
    return 4 + Math.max(len, 0);
  }

  static final class RoomCodec implements MessageCodec<RoomFrame, RoomFrame> {
    @Override
    public void encodeToWire(Buffer b, RoomFrame f) {
      b.appendLong(f.seq()).appendLong(f.publishedNanos());
      putString(b, f.exceptConnection());
      b.appendInt(f.frame().length()).appendBuffer(f.frame());
    }

    /**
     * The last frame decoded: a message from another node reaches each gateway instance of this
     * node as a copy over the same received buffer, and all of them share one decoded frame.
     */
    private final java.util.concurrent.atomic.AtomicReference<Decoded> last = new java.util.concurrent.atomic.AtomicReference<>();

    private record Decoded(Buffer wire, int pos, RoomFrame frame) {
    }

    @Override
    public RoomFrame decodeFromWire(int pos, Buffer b) {
      Decoded d = last.get();
      if (d != null && d.wire() == b && d.pos() == pos) {
        return d.frame();
      }
      RoomFrame f = decode(pos, b);
      last.set(new Decoded(b, pos, f));
      return f;
    }

    private static RoomFrame decode(int pos, Buffer b) {
      long seq = b.getLong(pos);
      // another JVM's nanoTime means nothing here: latency is measured from arrival instead
      String except = getString(b, pos + 16);
      int at = pos + 16 + stringSize(b, pos + 16);
      int len = b.getInt(at);
      return new RoomFrame(seq, b.getBuffer(at + 4, at + 4 + len), except, System.nanoTime());
    }

    @Override
    public RoomFrame transform(RoomFrame f) {
      return f;
    }

    @Override
    public String name() {
      return "sealroom-room-frame";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  static final class UserCodec implements MessageCodec<UserFrame, UserFrame> {
    @Override
    public void encodeToWire(Buffer b, UserFrame f) {
      putString(b, f.revokedRoom());
      putString(b, f.endSessionsBut());
      b.appendLong(f.validAfterMs());
      if (f.frame() == null) {
        b.appendInt(-1);
      } else {
        b.appendInt(f.frame().length()).appendBuffer(f.frame());
      }
    }

    @Override
    public UserFrame decodeFromWire(int pos, Buffer b) {
      String revoked = getString(b, pos);
      int at = pos + stringSize(b, pos);
      String endBut = getString(b, at);
      at += stringSize(b, at);
      long validAfter = b.getLong(at);
      at += 8;
      int len = b.getInt(at);
      return new UserFrame(len < 0 ? null : b.getBuffer(at + 4, at + 4 + len), revoked, endBut, validAfter);
    }

    @Override
    public UserFrame transform(UserFrame f) {
      return f;
    }

    @Override
    public String name() {
      return "sealroom-user-frame";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
