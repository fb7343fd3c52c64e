package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte scans that replace JSON parsing of received frames. */
class ScanTest {
  private static ByteBuf buf(String s) { return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8); }

  @Test
  void findsEveryMarkInABatchedFrame() {
    // NATS batches several MSGs in one frame.
    ByteBuf b = buf("MSG load 1 20\r\nts=123;k=4;xxxxxxxxxx\r\nMSG load 1 20\r\nts=456;k=5;xxxxxxxxxx\r\nPING\r\n");
    List<long[]> got = new ArrayList<>();
    int n = Scan.marks(null, b, 0, b.writerIndex(), Scan.TS, (c, ts, k, x, from, to, at) -> got.add(new long[] {ts, k}));
    assertEquals(2, n);
    assertEquals(123, got.get(0)[0]);
    assertEquals(4, got.get(0)[1]);
    assertEquals(456, got.get(1)[0]);
    assertEquals(5, got.get(1)[1]);
    assertEquals(true, Scan.contains(b, 0, b.writerIndex(), Peer.PING_LINE));
  }

  @Test
  void readsSeqAndEncryptedCid() {
    ByteBuf b = buf("{\"op\":\"msg\",\"room\":\"r\",\"id\":\"i\",\"seq\":1234,\"ts\":1795677058117,\"cid\":\"e7-42\",\"from\":{},\"e2e\":{}}");
    assertEquals(1234, Scan.seq(b, 0, b.writerIndex()));
    long[] got = new long[2];
    Scan.marks(null, b, 0, b.writerIndex(), Scan.CID_E, (c, ts, k, x, from, to, at) -> { got[0] = ts; got[1] = k; });
    assertEquals(7, got[0]);
    assertEquals(42, got[1]);
    // The "ts": field of the frame is not a text mark.
    assertEquals(0, Scan.marks(null, b, 0, b.writerIndex(), Scan.TS, (c, ts, k, x, from, to, at) -> { }));
  }

  @Test
  void respectsTheRange() {
    ByteBuf b = buf("xxts=1;k=2;yy\"seq\":9");
    assertEquals(-1, Scan.find(b, 3, b.writerIndex(), Scan.TS));
    assertEquals(2, Scan.find(b, 0, 6, Scan.TS));
    assertEquals(-1, Scan.find(b, 0, 4, Scan.TS));
    assertEquals(-1, Scan.seq(b, 0, 15));
    assertEquals(9, Scan.seq(b, 0, b.writerIndex()));
  }
}
