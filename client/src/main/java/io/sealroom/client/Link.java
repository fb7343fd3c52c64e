package io.sealroom.client;

import io.sealroom.client.json.DecodeException;
import io.sealroom.client.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket at a time to /ws over the JDK client: opens it, authenticates, hands frames
 * on, reports its end. Every callback runs on the engine executor, and callbacks of a socket
 * that has been replaced are dropped (a generation number tells them apart). Engine-confined
 * except for the listener, which only forwards to the engine.
 */
final class Link {
  private static final Logger LOG = Logger.getLogger(Link.class.getName());
  private static final int CLOSE_NORMAL = 1000;

  /** What the link reports; always called on the engine thread. */
  interface Events {
    void onReady(User user);

    void onFrame(JsonObject frame);

    void onDown(int code, String reason);
  }

  private final HttpClient http;
  private final URI uri;
  private final Duration timeout;
  private final Executor engine;
  private final Events events;
  private WebSocket ws;
  private int generation;
  private boolean ready;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  Link(HttpClient http, String baseUrl, Duration timeout, Executor engine, Events events) {
    this.http = http;
    this.uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws");
    this.timeout = timeout;
    this.engine = engine;
    this.events = events;
  }

  /** Opens a new socket and authenticates with the token; ends the current one first. */
  void open(String token) {
    drop();
    int gen = ++generation;
    http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, new Listener(gen))
        .whenCompleteAsync((socket, err) -> {
          if (gen != generation) {
            if (socket != null) {
              socket.abort();
            }
            return;
          }
          if (err != null) {
            down(gen, -1, "connect failed: " + err.getClass().getSimpleName());
            return;
          }
          ws = socket;
          sending = CompletableFuture.completedFuture(null);
          send(new JsonObject().put("op", "auth").put("token", token));
        }, engine);
  }

  boolean isReady() {
    return ready;
  }

  /** Writes one frame; frames are queued so that the JDK sees one send at a time. */
  void send(JsonObject frame) {
    WebSocket w = ws;
    if (w == null) {
      return;
    }
    String text = frame.encode();
    int gen = generation;
    sending = sending.handle((v, e) -> null).thenCompose(v -> w.sendText(text, true)).whenComplete((v, e) -> {
      if (e != null) {
        engine.execute(() -> lost(gen, "send failed"));
      }
    });
  }

  /** Ends the socket without reporting it (a reconnect or close follows). */
  void drop() {
    generation++;
    ready = false;
    WebSocket w = ws;
    ws = null;
    if (w != null) {
      w.sendClose(CLOSE_NORMAL, "bye").whenComplete((v, e) -> w.abort());
    }
  }

  /** Aborts the current socket and reports it down (used when it stopped answering pings). */
  void abort(String reason) {
    WebSocket w = ws;
    if (w != null) {
      w.abort();
    }
    lost(generation, reason);
  }

  private void lost(int gen, String reason) {
    down(gen, -1, reason);
  }

  private void down(int gen, int code, String reason) {
    if (gen != generation) {
      return;
    }
    generation++;
    ready = false;
    ws = null;
    events.onDown(code, reason);
  }

  private void frame(int gen, String text) {
    if (gen != generation) {
      return;
    }
    JsonObject f;
    try {
      f = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      LOG.log(Level.WARNING, "dropped a frame that is not a JSON object");
      return;
    }
    if (!ready && "ready".equals(f.getString("op"))) {
      ready = true;
      events.onReady(Wire.user(f.getJsonObject("user")));
      return;
    }
    events.onFrame(f);
  }

  /** Forwards JDK callbacks to the engine; reassembles fragmented text. */
  private final class Listener implements WebSocket.Listener {
    private final int gen;
    private final StringBuilder partial = new StringBuilder();

    Listener(int gen) {
      this.gen = gen;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        engine.execute(() -> frame(gen, text));
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
      engine.execute(() -> down(gen, code, reason));
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      engine.execute(() -> down(gen, -1, "socket error: " + error.getClass().getSimpleName()));
    }
  }
}
