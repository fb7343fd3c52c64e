package io.sealroom.client;

/** Where the client's WebSocket stands. */
public enum ConnectionState {
  /** Opening the socket or waiting for {@code ready}. */
  CONNECTING,
  /** Authenticated; subscriptions are live. */
  READY,
  /** Dropped; a reconnect is scheduled. */
  RECONNECTING,
  /** The token was refused; nothing will reconnect. */
  SESSION_ENDED,
  /** {@link SealroomClient#close()} was called. */
  CLOSED
}
