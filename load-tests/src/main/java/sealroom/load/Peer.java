package sealroom.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Adapters for the servers Sealroom is compared with: how a subscriber joins a channel, when it
 * counts as subscribed, and how a publisher sends one message. Each message text is
 * "ts=<nanoTime>;k=<n>;" padded to the size, so the receiving side is the same for all of them.
 */
abstract class Peer {
  static final byte[] PING_LINE = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] PONG_LINE = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] ERR = "-ERR".getBytes(StandardCharsets.US_ASCII);

  /** What a frame without a message told the subscriber. */
  enum Control { NONE, READY, ERROR }

  final String room;

  Peer(String room) { this.room = room; }

  static Peer of(String target, String room) { return of(target, room, 4222); }

  static Peer of(String target, String room, int natsPubPort) {
    return switch (target) {
      case "raw", "vertx", "uws" -> new Simple(room);
      case "nats" -> new Nats(room, natsPubPort);
      case "centrifuge" -> new Centrifuge(room);
      default -> throw new IllegalArgumentException("no peer adapter for " + target);
    };
  }

  abstract String subPath();

  abstract String pubPath();

  /** Frames sent when a subscriber's socket opens; true when it is subscribed already. */
  abstract boolean subOpen(WsConn c);

  /** Frames sent when the publisher's socket opens. */
  void pubOpen(WsConn c) { }

  /** Handles a frame that carried no message (and any PING inside a message frame). */
  Control control(WsConn c, ByteBuf b, int from, int len) { return Control.NONE; }

  /** A plain TCP port to publish on instead of a WebSocket, or 0. */
  int tcpPublishPort() { return 0; }

  /** Whether frames are arbitrary cuts of a byte stream (NATS), so a message may span two frames. */
  boolean streamed() { return false; }

  /** Whether message frames may carry protocol lines to answer (NATS PING). */
  boolean scanMessageFrames() { return false; }

  /** The publish frame for one message text. */
  abstract byte[] publish(long k, String text);

  /** raw, vertx and uws: /sub?room= subscribes on open; every text frame on /pub?room= is broadcast. */
  static final class Simple extends Peer {
    Simple(String room) { super(room); }
    String subPath() { return "/sub?room=" + room; }
    String pubPath() { return "/pub?room=" + room; }
    boolean subOpen(WsConn c) { return true; }
    byte[] publish(long k, String text) { return ("{\"m\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8); }
  }

  /**
   * NATS over its websocket listener, speaking the NATS text protocol: CONNECT, SUB and a PING
   * whose PONG proves the SUB was processed; messages arrive as "MSG subject sid len\r\npayload\r\n",
   * several per frame, a message sometimes cut across two frames. The publisher sends
 * "PUB subject len\r\npayload\r\n" on NATS's TCP client port (as NATS clients do), or on a websocket.
   */
  static final class Nats extends Peer {
    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"echo\":false}\r\n";
    private final int pubPort;
    Nats(String room, int pubPort) { super(room); this.pubPort = pubPort; }
    String subPath() { return "/"; }
    String pubPath() { return "/"; }
    boolean subOpen(WsConn c) { c.send(CONNECT + "SUB " + room + " 1\r\nPING\r\n"); return false; }
    void pubOpen(WsConn c) { c.send(CONNECT); }
    boolean scanMessageFrames() { return true; }
    boolean streamed() { return true; }
    /** The publisher speaks the same protocol on NATS's client port (TCP), as NATS clients publish. */
    int tcpPublishPort() { return pubPort; }
    String connectLine() { return CONNECT; }
    Control control(WsConn c, ByteBuf b, int from, int len) {
      int to = from + len;
      if (Scan.contains(b, from, to, PING_LINE)) c.send("PONG\r\n");
      if (Scan.contains(b, from, to, ERR)) {
        System.out.println("nats: " + b.toString(from, len, StandardCharsets.UTF_8).trim());
        return Control.ERROR;
      }
      return Scan.contains(b, from, to, PONG_LINE) ? Control.READY : Control.NONE;
    }
    byte[] publish(long k, String text) {
      byte[] p = text.getBytes(StandardCharsets.UTF_8);
      byte[] h = ("PUB " + room + " " + p.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] f = new byte[h.length + p.length + 2];
      System.arraycopy(h, 0, f, 0, h.length);
      System.arraycopy(p, 0, f, h.length, p.length);
      f[f.length - 2] = '\r';
      f[f.length - 1] = '\n';
      return f;
    }
  }

  /**
   * The centrifuge library server (protocol v1, JSON): a connect command (id 1) and a subscribe
   * command (method 1, id 2) in one frame, newline-separated; subscribed when the reply with
   * id 2 arrives. The publisher connects and sends publish commands (method 3) with JSON data.
   */
  static final class Centrifuge extends Peer {
    private static final byte[] ID2 = "\"id\":2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private long id = 10;
    Centrifuge(String room) { super(room); }
    String subPath() { return "/connection/websocket"; }
    String pubPath() { return "/connection/websocket"; }
    boolean subOpen(WsConn c) {
      c.send("{\"id\":1,\"params\":{}}\n{\"id\":2,\"method\":1,\"params\":{\"channel\":\"" + room + "\"}}");
      return false;
    }
    void pubOpen(WsConn c) { c.send("{\"id\":1,\"params\":{}}"); }
    Control control(WsConn c, ByteBuf b, int from, int len) {
      int to = from + len;
      if (Scan.contains(b, from, to, ERROR)) {
        System.out.println("centrifuge: " + b.toString(from, len, StandardCharsets.UTF_8).trim());
        return Control.ERROR;
      }
      return Scan.contains(b, from, to, ID2) ? Control.READY : Control.NONE;
    }
    byte[] publish(long k, String text) {
      return ("{\"id\":" + (++id) + ",\"method\":3,\"params\":{\"channel\":\"" + room + "\",\"data\":{\"m\":\"" + text + "\"}}}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
