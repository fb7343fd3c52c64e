package io.sealroom.gateway;

/**
 * The WebSocket close codes the server sends, each defined once (docs/protocol.md, Close codes):
 * 1xxx are RFC 6455's (7.4.1), 4xxx are Sealroom's own. A code that a Netty decoder chose for a
 * frame it refused is passed on as it is (see {@link NettyAccess#refusedFrameCode}). Constants
 * only.
 */
final class CloseCodes {
  /** Not authenticated: no auth frame in time, a first frame that is not auth, a failed auth, an ended session. */
  static final short AUTH = 4001;
  /** The Origin of the upgrade request is not allowed. */
  static final short ORIGIN = 4003;
  /** A write would take the connection's unsent bytes over ws.maxQueuedBytes. */
  static final short SLOW = 4008;
  /** As many refused sends within a second as ws.sendRatePerSecond. */
  static final short RATE = 4029;
  /** A close frame with a code that may not be sent, or a one-byte payload. */
  static final short PROTOCOL_ERROR = 1002;
  /** Bytes that are not UTF-8 where text is required (here: a close frame's reason). */
  static final short INVALID_PAYLOAD = 1007;
  /** Abuse of the protocol: pings while not reading, beyond ws.maxPendingControlFrames. */
  static final short POLICY = 1008;
  /** A fragmented message whose parts add up to more than ws.maxFrameBytes. */
  static final short TOO_BIG = 1009;

  private CloseCodes() {
  }
}
