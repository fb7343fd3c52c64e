package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Records the outcome of every WebSocket send of several senders as it arrives: acks (cid to
 * seq) and error codes (cid to code), for tests that kill something while sends are in flight.
 */
public final class SendRecorder {
  public final Map<String, Long> acks = new ConcurrentHashMap<>();
  public final Map<String, String> errors = new ConcurrentHashMap<>();
  /** Acks that named another seq for a cid acked before. */
  public final List<String> conflicts = new CopyOnWriteArrayList<>();
  /** Completes when the given number of acks has arrived. */
  public final CompletableFuture<Void> enoughAcks = new CompletableFuture<>();
  private final int enough;

  public SendRecorder(int enough) {
    this.enough = enough;
  }

  /** Opens an authenticated WebSocket for the user that reports here. */
  public Sender open(int port, Api.User user) throws Exception {
    return new Sender(port, user);
  }

  private void ack(String cid, long seq) {
    Long before = acks.putIfAbsent(cid, seq);
    if (before != null && before != seq) {
      conflicts.add(cid + " acked with seq " + before + " and " + seq);
    }
    errors.remove(cid);
    if (acks.size() >= enough) {
      enoughAcks.complete(null);
    }
  }

  private void error(String cid, String code) {
    if (cid != null && !acks.containsKey(cid)) {
      errors.put(cid, code);
    }
  }

  public void reset() {
    acks.clear();
    errors.clear();
  }

  /** Waits until n cids have an outcome (ack or error), or the time is up. */
  public void awaitOutcomes(int n, long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (acks.size() + errors.size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  /** One user's WebSocket: sends text messages ("text of CID"); acks and errors go to the recorder. */
  public final class Sender implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final WebSocket ws;

    private Sender(int port, Api.User user) throws Exception {
      ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this).get(10, TimeUnit.SECONDS);
      ws.sendText(new JsonObject().put("op", "auth").put("token", user.token()).encode(), true).join();
      ready.get(10, TimeUnit.SECONDS);
    }

    public synchronized void send(String rid, String cid) {
      ws.sendText(new JsonObject().put("op", "send").put("room", rid).put("cid", cid)
          .put("text", "text of " + cid).encode(), true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence text, boolean last) {
      partial.append(text);
      w.request(1);
      if (last) {
        JsonObject f = new JsonObject(partial.toString());
        partial.setLength(0);
        String op = f.getString("op");
        if ("ready".equals(op)) {
          ready.complete(null);
        } else if ("ack".equals(op)) {
          ack(f.getString("cid"), f.getLong("seq"));
        } else if ("error".equals(op)) {
          error(f.getString("cid"), f.getString("code"));
        }
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
      ready.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
      return null;
    }

    public void close() {
      ws.abort();
    }
  }
}
