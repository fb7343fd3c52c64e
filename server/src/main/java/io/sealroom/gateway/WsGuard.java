package io.sealroom.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Guards one WebSocket's control frames, in its channel's pipeline ahead of the WebSocket's own
 * handler (which would answer every ping at once, whatever is queued, and echo any close code).
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
final class WsGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "sealroom-ws-guard";
  private final Connection conn;
  private final long maxQueued;
  private final int maxPendingPings;
  private boolean pongUnsent;
  /** Payload of the latest ping not answered yet (while a pong was unsent), or null. */
  private ByteBuf latestPing;
  private int pingsWhileUnsent;

  WsGuard(Connection conn, long maxQueued, int maxPendingPings) {
    this.conn = conn;
    this.maxQueued = maxQueued;
    this.maxPendingPings = maxPendingPings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof PingWebSocketFrame) {
      PingWebSocketFrame ping = (PingWebSocketFrame) msg;
      try {
        onPing(ctx, ping.content());
      } finally {
        ping.release();
      }
      return;
    }
    if (msg instanceof CloseWebSocketFrame) {
      CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
      short refusal = refusal(close.content());
      if (refusal != 0) {
        close.release();
        conn.close(refusal, refusal == CloseCodes.INVALID_PAYLOAD ? "close reason is not UTF-8" : "invalid close frame");
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void onPing(ChannelHandlerContext ctx, ByteBuf payload) {
    if (!conn.isOpen()) {
      return;
    }
    if (pongUnsent) {
      if (++pingsWhileUnsent > maxPendingPings) {
        conn.cut(CloseCodes.POLICY, "too many pings while not reading", "ping_flood");
        return;
      }
      if (latestPing != null) {
        latestPing.release();
      }
      latestPing = payload.retainedDuplicate();
      return;
    }
    sendPong(ctx, payload.retainedDuplicate());
  }

  private void sendPong(ChannelHandlerContext ctx, ByteBuf payload) {
    int frameBytes = payload.readableBytes() + 2;
    if (queued(ctx) + frameBytes > maxQueued) {
      payload.release();
      conn.cut(CloseCodes.SLOW, "too slow: outbound queue over its limit", "slow_reader");
      return;
    }
    pongUnsent = true;
    conn.flushNow(); // frames written before the ping leave before its pong
    ctx.writeAndFlush(new PongWebSocketFrame(payload)).addListener((ChannelFutureListener) f -> {
      pongUnsent = false;
      pingsWhileUnsent = 0;
      ByteBuf next = latestPing;
      latestPing = null;
      if (next != null) {
        if (f.isSuccess() && conn.isOpen()) {
          sendPong(ctx, next);
        } else {
          next.release();
        }
      }
    });
  }

  private static long queued(ChannelHandlerContext ctx) {
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  /** 0 when the close frame may be echoed, else the code to answer it with. */
  static short refusal(ByteBuf content) {
    int n = content.readableBytes();
    if (n == 0) {
      return 0;
    }
    if (n == 1) {
      return CloseCodes.PROTOCOL_ERROR;
    }
    int code = content.getUnsignedShort(content.readerIndex());
    if (!validCode(code)) {
      return CloseCodes.PROTOCOL_ERROR;
    }
    if (n > 2) {
      ByteBuffer reason = content.nioBuffer(content.readerIndex() + 2, n - 2);
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

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    release();
    super.channelInactive(ctx);
  }

  private void release() {
    if (latestPing != null) {
      latestPing.release();
      latestPing = null;
    }
  }
}
