package sealroom.load;

import io.netty.channel.Channel;

/** Where a publisher writes its messages: a WebSocket ({@link WsConn}) or a plain TCP line protocol ({@link TcpConn}). */
interface Outlet {
  /** Writes one message (a text frame on a WebSocket, the bytes as they are on TCP); flushes when asked. */
  void send(byte[] payload, boolean flush);

  void flush();

  Channel channel();
}
