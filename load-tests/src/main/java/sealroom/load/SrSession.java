package sealroom.load;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One Sealroom WebSocket session on the tool's client: auth, then (when room is set) sub with an
 * optional since; msg and ack frames go to the handler as byte ranges, the rare other frames are
 * told apart by their first bytes.
 */
final class SrSession implements WsConn.Listener {
  /** What a scenario does with the frames of a session; called on the session's event loop. */
  interface Handler {
    void onMsg(SrSession s, ByteBuf b, int from, int to);
    default void onAck(SrSession s, ByteBuf b, int from, int to) { }
    default void onError(SrSession s, String frame) { }
    default void onClosed(SrSession s, int code, String reason) { }
  }

  final int id;
  final String token;
  final String room;
  /** since for the sub, or -1 for none. */
  volatile long since = -1;
  /** Free for the scenario. */
  Object state;
  final CompletableFuture<SrSession> ready = new CompletableFuture<>(), subbed = new CompletableFuture<>();
  private final Handler h;
  WsConn conn;

  SrSession(int id, String token, String room, Handler h) {
    this.id = id;
    this.token = token;
    this.room = room;
    this.h = h;
  }

  /** Connects (from local, when not null); ready/subbed complete as the server answers. */
  SrSession open(WsClient client, InetSocketAddress remote, InetSocketAddress local, String hostHeader) {
    conn = client.connect(remote, local, new WsConn(id, hostHeader, "/ws", "", this));
    conn.opened.whenComplete((v, e) -> { if (e != null) fail(e); });
    return this;
  }

  private void fail(Throwable e) {
    ready.completeExceptionally(e);
    subbed.completeExceptionally(e);
  }

  /** Seconds from the upgrade to ready (and subbed, when subscribing) before the session counts as failed. */
  static final int READY_TIMEOUT_SECONDS = 60;

  @Override
  public void onOpen(WsConn c) {
    c.send("{\"op\":\"auth\",\"token\":\"" + token + "\"}");
    c.channel().eventLoop().schedule(() -> {
      if (!(room == null ? ready : subbed).isDone()) {
        fail(new java.util.concurrent.TimeoutException("session " + id + ": no " + (room == null ? "ready" : "subbed") + " within "
            + READY_TIMEOUT_SECONDS + " s"));
        c.abort();
      }
    }, READY_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
  }

  void sub(long since) {
    conn.send("{\"op\":\"sub\",\"room\":\"" + room + "\"" + (since >= 0 ? ",\"since\":" + since : "") + "}");
  }

  @Override
  public void onMessage(WsConn c, ByteBuf b, int from, int len) {
    int to = from + len;
    if (Scan.startsWith(b, from, to, "{\"op\":\"msg\"")) { h.onMsg(this, b, from, to); return; }
    if (Scan.startsWith(b, from, to, "{\"op\":\"ack\"")) { h.onAck(this, b, from, to); return; }
    if (Scan.startsWith(b, from, to, "{\"op\":\"ready\"")) {
      ready.complete(this);
      if (room != null) sub(since);
    } else if (Scan.startsWith(b, from, to, "{\"op\":\"subbed\"")) {
      subbed.complete(this);
    } else if (Scan.startsWith(b, from, to, "{\"op\":\"error\"")) {
      String f = b.toString(from, len, StandardCharsets.UTF_8);
      h.onError(this, f);
      fail(new IllegalStateException("session " + id + ": " + f));
    }
  }

  @Override
  public void onClose(WsConn c, int code, String reason) {
    fail(new IllegalStateException("session " + id + " closed: " + code + " " + reason));
    h.onClosed(this, code, reason);
  }
}
