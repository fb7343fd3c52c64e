package io.sealroom.gateway;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Guards one WebSocket's control frames, which {@link NettyAccess} hands here ahead of the
 * WebSocket's own handler (which would answer every ping at once, whatever is queued, and echo
 * any close code).
 *
 * <ul>
 *   <li>Pings are answered here. While a pong is unsent (the peer does not read), further pings
 *   are not answered one by one: the next pong answers the latest, as RFC 6455 (5.5.3) allows.
 *   More than {@code ws.maxPendingControlFrames} of them is abuse: closed with 1008. A pong
 *   that would take the connection's queue over {@code ws.maxQueuedBytes} closes it with 4008,
 *   like any other frame.</li>
 *   <li>A close frame with a code that may not be sent (RFC 6455 7.4: below 1000, 1004-1006,
 *   1015-2999, 5000 and above), a one-byte payload or a reason that is not UTF-8 is answered
 *   with 1002 (1007 for the reason) and the connection is dropped.</li>
 * </ul>
 * The closes go through {@link Connection#close}, which drops the TCP connection when the peer
 * has not completed the closing handshake within {@code ws.closeTimeoutMs}. Event-loop confined.
 */
final class WsGuard {
  private final Connection conn;
  private final NettyAccess channel;
  private final long maxQueued;
  private final int maxPendingPings;
  private boolean pongUnsent;
  /** Payload of the latest ping not answered yet (while a pong was unsent), or null. */
  private Buffer latestPing;
  private int pingsWhileUnsent;

  WsGuard(Connection conn, NettyAccess channel, long maxQueued, int maxPendingPings) {
    this.conn = conn;
    this.channel = channel;
    this.maxQueued = maxQueued;
    this.maxPendingPings = maxPendingPings;
  }

  /** A ping arrived with this payload. */
  void onPing(Buffer payload) {
    if (!conn.isOpen()) {
      return;
    }
    if (pongUnsent) {
      if (++pingsWhileUnsent > maxPendingPings) {
        conn.cut(CloseCodes.POLICY, "too many pings while not reading", "ping_flood");
        return;
      }
      latestPing = payload;
      return;
    }
    sendPong(payload);
  }

  private void sendPong(Buffer payload) {
    int frameBytes = payload.length() + 2;
    if (channel.channelQueued() + frameBytes > maxQueued) {
      conn.cut(CloseCodes.SLOW, "too slow: outbound queue over its limit", "slow_reader");
      return;
    }
    pongUnsent = true;
    channel.flushNow(); // frames written before the ping leave before its pong
    channel.pong(payload, this::pongDone);
  }

  private void pongDone(boolean sent) {
    pongUnsent = false;
    pingsWhileUnsent = 0;
    Buffer next = latestPing;
    latestPing = null;
    if (next != null && sent && conn.isOpen()) {
      sendPong(next);
    }
  }

  /** A close frame was refused with this code (see {@link #refusal}): the connection is closed with it. */
  void refuseClose(short code) {
    conn.close(code, code == CloseCodes.INVALID_PAYLOAD ? "close reason is not UTF-8" : "invalid close frame");
  }

  /** 0 when a close frame with this payload may be echoed, else the code to answer it with. */
  static short refusal(Buffer content) {
    int n = content.length();
    if (n == 0) {
      return 0;
    }
    if (n == 1) {
      return CloseCodes.PROTOCOL_ERROR;
    }
    int code = content.getUnsignedShort(0);
    if (!validCode(code)) {
      return CloseCodes.PROTOCOL_ERROR;
    }
    if (n > 2) {
      ByteBuffer reason = ByteBuffer.wrap(content.getBytes(2, n));
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(reason);
      } catch (CharacterCodingException e) {
        return CloseCodes.INVALID_PAYLOAD;
      }
    }
    return 0;
  }

  /** Codes a peer may send in a close frame (RFC 6455 7.4.1 and the IANA registry; 3000-4999 for libraries and applications). */
  static boolean validCode(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
  }
}
