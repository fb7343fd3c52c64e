package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Frames on the clustered bus: what is encoded on one node is decoded once per receiving node, intact. */
class FrameCodecsTest {
  private static Buffer wire(FrameCodecs.RoomCodec codec, RoomFrame f) {
    Buffer b = Buffer.buffer().appendString("header");
    codec.encodeToWire(b, f);
    return b;
  }

  @Test
  void aRoomFrameCrossesTheWireIntact() {
    FrameCodecs.RoomCodec codec = new FrameCodecs.RoomCodec();
    RoomFrame sent = new RoomFrame(42, Buffer.buffer("{\"op\":\"msg\",\"seq\":42}"), "conn-1", System.nanoTime());
    RoomFrame got = codec.decodeFromWire(6, wire(codec, sent));
    assertEquals(42, got.seq());
    assertEquals("conn-1", got.exceptConnection());
    assertEquals(sent.frame(), got.frame());
    assertEquals(NettyAccess.frameLength(sent.wire()), NettyAccess.frameLength(got.wire()), "the same WebSocket frame bytes");
  }

  @Test
  void copiesOfOneReceivedMessageShareOneDecodedFrame() {
    FrameCodecs.RoomCodec codec = new FrameCodecs.RoomCodec();
    Buffer received = wire(codec, new RoomFrame(7, Buffer.buffer("{\"seq\":7}"), null, 0));
    // each local consumer (gateway instance) decodes its copy of the message from the same buffer
    RoomFrame first = codec.decodeFromWire(6, received);
    assertSame(first, codec.decodeFromWire(6, received));
    Buffer next = wire(codec, new RoomFrame(7, Buffer.buffer("{\"seq\":7}"), null, 0));
    assertNotSame(first, codec.decodeFromWire(6, next), "another message is decoded on its own");
  }

  @Test
  void aUserFrameCrossesTheWireWithItsSessionCutoff() {
    FrameCodecs.UserCodec codec = new FrameCodecs.UserCodec();
    UserFrame ended = new UserFrame(null, null, "sid-kept", 1_795_000_000_123L);
    Buffer b = Buffer.buffer().appendString("header");
    codec.encodeToWire(b, ended);
    UserFrame got = codec.decodeFromWire(6, b);
    assertEquals("sid-kept", got.endSessionsBut());
    assertEquals(1_795_000_000_123L, got.validAfterMs(), "the cut-off a node applies before it closes the sockets");
    assertEquals(null, got.frame());
    assertEquals(null, got.revokedRoom());

    UserFrame revoked = new UserFrame(Buffer.buffer("{\"op\":\"revoked\"}"), "room-1");
    b = Buffer.buffer().appendString("header");
    codec.encodeToWire(b, revoked);
    got = codec.decodeFromWire(6, b);
    assertEquals(revoked.frame(), got.frame());
    assertEquals("room-1", got.revokedRoom());
    assertEquals(null, got.endSessionsBut());
  }
}
