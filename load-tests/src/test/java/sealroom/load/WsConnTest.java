package sealroom.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's upgrade and frame parser, fed byte streams cut at every size. */
class WsConnTest {
  private final List<String> got = new ArrayList<>();
  private final List<String> closes = new ArrayList<>();

  private WsConn conn() {
    return new WsConn(7, "h:1", "/sub?room=x", "X-Test: 1\r\n", new WsConn.Listener() {
      @Override
      public void onMessage(WsConn c, ByteBuf b, int from, int len) { got.add(b.toString(from, len, StandardCharsets.UTF_8)); }

      @Override
      public void onClose(WsConn c, int code, String reason) { closes.add(code + " " + reason); }
    });
  }

  private static String accept(EmbeddedChannel ch) throws Exception {
    ByteBuf req = ch.readOutbound();
    String r = req.toString(StandardCharsets.US_ASCII);
    req.release();
    assertTrue(r.startsWith("GET /sub?room=x HTTP/1.1\r\n"), r);
    assertTrue(r.contains("\r\nX-Test: 1\r\n"), r);
    Matcher m = Pattern.compile("Sec-WebSocket-Key: (\\S+)").matcher(r);
    assertTrue(m.find());
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
        .digest((m.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
  }

  private static void frame(ByteArrayOutputStream out, int b0, byte[] p, boolean mask) {
    out.write(b0);
    int m = mask ? 0x80 : 0;
    if (p.length < 126) out.write(m | p.length);
    else if (p.length < 65536) { out.write(m | 126); out.write(p.length >> 8); out.write(p.length); }
    else { out.write(m | 127); for (int i = 7; i >= 0; i--) out.write((int) ((long) p.length >> (8 * i))); }
    byte[] key = {1, 2, 3, 4};
    if (mask) out.write(key, 0, 4);
    for (int i = 0; i < p.length; i++) out.write(mask ? p[i] ^ key[i & 3] : p[i]);
  }

  private static byte[] unmaskedPayload(ByteBuf f) {
    int b1 = f.getUnsignedByte(1);
    assertTrue((b1 & 0x80) != 0, "client frames are masked");
    int len = b1 & 0x7F, hl = 2;
    if (len == 126) { len = f.getUnsignedShort(2); hl = 4; }
    byte[] key = new byte[4];
    f.getBytes(hl, key);
    byte[] p = new byte[len];
    for (int i = 0; i < len; i++) p[i] = (byte) (f.getByte(hl + 4 + i) ^ key[i & 3]);
    return p;
  }

  private void run(int chunk) throws Exception {
    got.clear();
    closes.clear();
    WsConn c = conn();
    EmbeddedChannel ch = new EmbeddedChannel(c);
    String acc = accept(ch);
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + acc + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String mid = "m".repeat(300), big = "b".repeat(70_000);
    frame(s, 0x81, "hello".getBytes(), false);
    frame(s, 0x81, mid.getBytes(), false);
    frame(s, 0x81, big.getBytes(), false);
    frame(s, 0x01, "ab".getBytes(), false);          // first fragment
    frame(s, 0x89, "p!".getBytes(), false);          // a ping between fragments
    frame(s, 0x80, "cd".getBytes(), false);          // last fragment
    frame(s, 0x81, "masked".getBytes(), true);
    frame(s, 0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, false);
    byte[] all = s.toByteArray();
    for (int i = 0; i < all.length; i += chunk) ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(chunk, all.length - i)));
    assertEquals(List.of("hello", mid, big, "abcd", "masked"), got, "chunk " + chunk);
    ByteBuf pong = ch.readOutbound();
    assertEquals(0x8A, pong.getUnsignedByte(0));
    assertArrayEquals("p!".getBytes(), unmaskedPayload(pong));
    pong.release();
    ByteBuf close = ch.readOutbound();
    assertEquals(0x88, close.getUnsignedByte(0));
    assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, unmaskedPayload(close));
    close.release();
    ch.runPendingTasks();
    assertFalse(ch.isActive());
    assertEquals(List.of("1000 bye"), closes);
  }

  @Test
  void parsesFramesCutAtAnySize() throws Exception {
    for (int chunk : new int[] {1, 2, 3, 7, 13, 100, 4096, 1 << 20}) run(chunk);
  }

  @Test
  void sendsMaskedTextFrames() throws Exception {
    WsConn c = conn();
    EmbeddedChannel ch = new EmbeddedChannel(c);
    String acc = accept(ch);
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: " + acc + "\r\n\r\n", StandardCharsets.US_ASCII));
    assertTrue(c.opened.isDone() && !c.opened.isCompletedExceptionally());
    String text = "{\"op\":\"send\",\"text\":\"" + "z".repeat(200) + "\"}";
    c.send(text);
    ByteBuf f = ch.readOutbound();
    assertEquals(0x81, f.getUnsignedByte(0));
    assertEquals(text, new String(unmaskedPayload(f), StandardCharsets.UTF_8));
    f.release();
  }

  @Test
  void refusedUpgradeFailsOpened() throws Exception {
    WsConn c = conn();
    EmbeddedChannel ch = new EmbeddedChannel(c);
    accept(ch);
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
    assertTrue(c.opened.isCompletedExceptionally());
  }
}
