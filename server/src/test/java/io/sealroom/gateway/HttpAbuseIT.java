package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP as an attacker speaks it, over raw sockets: slowloris (silent connections, headers a
 * byte at a time, bodies that never finish, idle kept-alive connections), requests the decoder
 * refuses (every one answered in the error shape), text that is not UTF-8, and WebSocket
 * upgrades without a proper key.
 */
class HttpAbuseIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder()
      .config("http.headersTimeoutMs", 1000)
      .config("http.requestTimeoutMs", 1500)
      .config("http.idleTimeoutMs", 1500)
      .build();
  static final Api api = node.api();

  static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** A raw response: status, headers block and body (read until the server closes or Content-Length is met). */
  record Raw(int status, String head, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Raw exchange(byte[] request) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return readResponse(s.getInputStream());
    }
  }

  static Raw readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a response: " + buf.toString(StandardCharsets.ISO_8859_1));
      }
      buf.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    String head = buf.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    int length = -1;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    return new Raw(status, head, new String(body, StandardCharsets.UTF_8));
  }

  static void assertError(Raw r, int status, String code) {
    assertEquals(status, r.status(), r.head() + r.body());
    assertTrue(r.head().toLowerCase().contains("content-type: application/json"), r.head());
    assertEquals(code, r.json().getJsonObject("error").getString("code"), r.body());
    assertTrue(!r.json().getJsonObject("error").getString("message").isBlank());
  }

  /** True when the server closed the socket within the time (end of stream or reset). */
  static boolean closedWithin(Socket s, long ms) throws IOException {
    s.setSoTimeout((int) ms);
    try {
      InputStream in = s.getInputStream();
      byte[] sink = new byte[4096];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void silentAndSlowHeaderConnectionsAreClosed() throws Exception {
    List<Socket> silent = new ArrayList<>();
    List<Socket> dripping = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        silent.add(connect());
        Socket d = connect();
        d.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        dripping.add(d);
      }
      long start = System.currentTimeMillis();
      // one header byte every 200 ms: the headers never complete within http.headersTimeoutMs
      Thread dripper = new Thread(() -> {
        try {
          for (int i = 0; i < 30; i++) {
            for (Socket d : dripping) {
              d.getOutputStream().write('X');
            }
            Thread.sleep(200);
          }
        } catch (Exception e) {
          // closed by the node: expected
        }
      });
      dripper.setDaemon(true);
      dripper.start();
      for (Socket s : silent) {
        assertTrue(closedWithin(s, 4000), "a silent connection is closed");
      }
      for (Socket d : dripping) {
        assertTrue(closedWithin(d, 4000), "a connection dripping its headers is closed");
      }
      assertTrue(System.currentTimeMillis() - start < 5000);
    } finally {
      for (Socket s : silent) {
        s.close();
      }
      for (Socket s : dripping) {
        s.close();
      }
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosed() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, readResponse(s.getInputStream()).status());
      assertTrue(closedWithin(s, 4000), "closed after http.idleTimeoutMs without a request");
    }
  }

  @Test
  void aBodyThatNeverFinishesGets408() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"user").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Raw r = readResponse(s.getInputStream());
      assertError(r, 408, "invalid_request");
      assertTrue(closedWithin(s, 3000));
    }
  }

  @Test
  void aConnectionInUseIsNotCut() throws Exception {
    try (Socket s = connect()) {
      for (int i = 0; i < 4; i++) {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, readResponse(s.getInputStream()).status());
        Thread.sleep(700); // under the idle timeout each time; 2.8 s in all, more than every deadline
      }
    }
  }

  @Test
  void requestsTheDecoderRefusesGetTheErrorShape() throws Exception {
    String token = "a".repeat(9000);
    assertError(exchange(("GET /api/v1/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII)), 401, "unauthorized");
    assertError(exchange(("GET /api/v1/rooms HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII)), 431, "too_large");
    StringBuilder many = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 1000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertError(exchange(many.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII)), 431, "too_large");
    assertError(exchange(("GET /api/v1/search?q=" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII)), 414, "too_large");
    assertError(exchange("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
    assertError(exchange(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03, '\r', '\n', '\r', '\n'}),
        400, "invalid_request");
    assertError(exchange("GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
        400, "invalid_request");
  }

  @Test
  void anUpgradeWithoutAProperKeyIsRefused() throws Exception {
    String base = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    assertError(exchange((base + "\r\n").getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
    assertError(exchange((base + "Sec-WebSocket-Key: \r\n\r\n").getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
    assertError(exchange((base + "Sec-WebSocket-Key: c2hvcnQ=\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
    Raw ok = exchangeHead((base + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertEquals(101, ok.status(), ok.head());
    assertError(exchange((base + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 5\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
  }

  @Test
  void anUpgradeThatNeverCompletesKeepsItsDeadline() throws Exception {
    // another protocol version: the handshake is refused, and the connection may not stay open idle
    try (Socket s = connect()) {
      s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Version: 12\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertTrue(closedWithin(s, 5000), "closed, not kept without a deadline");
    }
    assertTrue(api.gauge("sealroom_http_connections") < 5, "closed and upgraded connections leave the HTTP guard");
  }

  static Raw exchangeHead(byte[] request) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(request);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        buf.write(b);
        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      }
      String head = buf.toString(StandardCharsets.ISO_8859_1);
      return new Raw(Integer.parseInt(head.substring(9, 12)), head, "");
    }
  }

  static Raw postBytes(String path, String token, byte[] body) throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    req.writeBytes(body);
    return exchange(req.toByteArray());
  }

  static byte[] concat(String a, byte[] mid, String b) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(a.getBytes(StandardCharsets.UTF_8));
    o.writeBytes(mid);
    o.writeBytes(b.getBytes(StandardCharsets.UTF_8));
    return o.toByteArray();
  }

  @Test
  void textThatIsNotUnicodeIsRefusedNotAltered() throws Exception {
    Api.User u = api.newUser("utf8");
    String open = "{\"type\":\"p\",\"name\":\"r";
    String close = "\",\"members\":[]}";
    assertError(postBytes("/api/v1/rooms", u.token(), concat(open, new byte[] {(byte) 0xC0, (byte) 0xAF}, close)),
        400, "invalid_request");
    assertError(postBytes("/api/v1/rooms", u.token(), concat(open, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, close)),
        400, "invalid_request");
    assertError(postBytes("/api/v1/rooms", u.token(), concat(open, "\\ud800".getBytes(StandardCharsets.US_ASCII), close)),
        400, "invalid_request");
    assertError(postBytes("/api/v1/rooms", u.token(), concat(open, "\\udc00\\ud800".getBytes(StandardCharsets.US_ASCII), close)),
        400, "invalid_request");
    assertEquals(0, api.get("/api/v1/rooms", u.token()).json().getJsonArray("rooms").size(), "nothing was stored");
    assertError(exchange(("GET /api/v1/search?q=%C0%AF HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + u.token()
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), 400, "invalid_request");
    // a real pair (an emoji) written as escapes is text, and comes back exactly
    Raw ok = postBytes("/api/v1/rooms", u.token(), concat(open, "\\ud83d\\ude00".getBytes(StandardCharsets.US_ASCII), close));
    assertEquals(201, ok.status(), ok.body());
    assertEquals("r\uD83D\uDE00", ok.json().getString("name"));
  }
}
