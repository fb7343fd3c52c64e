package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A blocking WebSocket test client (JDK): frames arrive in a queue; close codes are recorded. */
public final class WsClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile String closeReason;

  private WsClient(String url, String origin) throws Exception {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      b.header("Origin", origin);
    }
    ws = b.buildAsync(URI.create(url), new Listener()).get(10, TimeUnit.SECONDS);
  }

  /** Connects to a WebSocket URL such as ws://127.0.0.1:8080/ws. */
  public static WsClient connect(String url) throws Exception {
    return new WsClient(url, null);
  }

  /** Connects to the URL and authenticates with the token; waits for ready. */
  public static WsClient authed(String url, String token) throws Exception {
    WsClient c = connect(url);
    c.send(new JsonObject().put("op", "auth").put("token", token));
    c.await(f -> "ready".equals(f.getString("op")), 10);
    return c;
  }

  public static WsClient connect(RunningNode node) throws Exception {
    return new WsClient(node.wsUrl(), null);
  }

  public static WsClient connect(RunningNode node, String origin) throws Exception {
    return new WsClient(node.wsUrl(), origin);
  }

  /** Connects and authenticates; waits for ready. */
  public static WsClient authed(RunningNode node, Api.User user) throws Exception {
    WsClient c = connect(node);
    c.send(new JsonObject().put("op", "auth").put("token", user.token()));
    c.await(f -> "ready".equals(f.getString("op")), 10);
    return c;
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
      closeReason = reason;
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed.complete(-1);
    }
  }

  public void send(JsonObject frame) {
    sendRaw(frame.encode());
  }

  public synchronized void sendRaw(String text) {
    ws.sendText(text, true).join();
  }

  /** The next frame matching the predicate (others before it are dropped), or an AssertionError. */
  public JsonObject await(Predicate<JsonObject> p, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no matching frame within " + seconds + " s");
      }
      if (p.test(f)) {
        return f;
      }
    }
  }

  public JsonObject awaitOp(String op, int seconds) throws InterruptedException {
    return await(f -> op.equals(f.getString("op")), seconds);
  }

  /** The next frame or null after the timeout. */
  public JsonObject poll(long millis) throws InterruptedException {
    return frames.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Every frame that arrives within the window. */
  public List<JsonObject> drain(long millis) throws InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    JsonObject f;
    while ((f = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) != null) {
      out.add(f);
    }
    return out;
  }

  /** The close code the server sent, waiting up to the timeout (-1 for an abrupt end). */
  public int awaitClose(int seconds) throws Exception {
    return closed.get(seconds, TimeUnit.SECONDS);
  }

  /** The reason of the server's close frame (null before it, or after an abrupt end). */
  public String closeReason() {
    return closeReason;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.abort();
    }
  }
}
