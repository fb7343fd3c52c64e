package io.sealroom.bench;

import io.sealroom.testing.Api;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small measuring harness (not a test): N subscribers in one room on a running server, one
 * sender with a window of unacknowledged sends; prints sends/s (acked), deliveries/s and the
 * send-to-receive latency percentiles. Usage:
 * {@code java -cp target/sealroom.jar:server/target/test-classes io.sealroom.bench.FanoutHarness http://127.0.0.1:8080 100 5000 64}
 * (url, subscribers, messages, window). The server needs ws.sendRatePerSecond 0 (unlimited).
 */
public final class FanoutHarness {
  private FanoutHarness() {
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Api api = new Api(url);
    URI u = URI.parse(url);
    Vertx vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxConnections(100_000)
        .setTryUsePerMessageCompression(false));
    Api.User owner = api.newUser("bench");
    String rid = api.createRoom(owner, "c", "bench", List.of());
    long total = (long) subscribers * messages;
    AtomicLong delivered = new AtomicLong();
    long[] latencies = new long[(int) Math.min(total, 20_000_000)];
    AtomicLong latencyCount = new AtomicLong();
    CountDownLatch allDelivered = new CountDownLatch(1);
    List<WebSocket> subs = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      Api.User s = api.newUser("bsub" + i);
      api.post("/api/v1/rooms/" + rid + "/members", s.token(), new JsonObject().put("username", s.username()));
      WebSocket ws = client.connect(u.port, u.host, "/ws").await(10, TimeUnit.SECONDS);
      CountDownLatch subbed = new CountDownLatch(1);
      ws.textMessageHandler(text -> {
        if (text.startsWith("{\"op\":\"msg\"")) {
          int at = text.indexOf("\"text\":\"t") + 9;
          long sentAt = Long.parseLong(text.substring(at, text.indexOf('"', at)));
          long idx = latencyCount.getAndIncrement();
          if (idx < latencies.length) {
            latencies[(int) idx] = System.nanoTime() - sentAt;
          }
          if (delivered.incrementAndGet() == total) {
            allDelivered.countDown();
          }
        } else if (text.contains("\"subbed\"")) {
          subbed.countDown();
        }
      });
      ws.writeTextMessage(new JsonObject().put("op", "auth").put("token", s.token()).encode());
      ws.writeTextMessage(new JsonObject().put("op", "sub").put("room", rid).encode());
      if (!subbed.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("subscriber " + i + " not subscribed");
      }
      subs.add(ws);
    }
    WebSocket sender = client.connect(u.port, u.host, "/ws").await(10, TimeUnit.SECONDS);
    CountDownLatch allAcked = new CountDownLatch(messages);
    AtomicLong next = new AtomicLong();
    Runnable sendOne = () -> {
      long i = next.getAndIncrement();
      if (i < messages) {
        sender.writeTextMessage("{\"op\":\"send\",\"room\":\"" + rid + "\",\"cid\":\"b" + i + "\",\"text\":\"t"
            + System.nanoTime() + "\"}");
      }
    };
    CountDownLatch ready = new CountDownLatch(1);
    sender.textMessageHandler(text -> {
      if (text.startsWith("{\"op\":\"ack\"")) {
        allAcked.countDown();
        sendOne.run();
      } else if (text.startsWith("{\"op\":\"ready\"")) {
        ready.countDown();
      } else if (text.startsWith("{\"op\":\"error\"")) {
        System.err.println("error: " + text);
      }
    });
    sender.writeTextMessage(new JsonObject().put("op", "auth").put("token", owner.token()).encode());
    ready.await(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < window; i++) {
        sendOne.run();
      }
    });
    boolean acked = allAcked.await(300, TimeUnit.SECONDS);
    double ackSeconds = (System.nanoTime() - start) / 1e9;
    boolean complete = allDelivered.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    int n = (int) Math.min(latencyCount.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("subscribers %d, messages %d, window %d%n", subscribers, messages, window);
    System.out.printf("acked %s: %.0f msgs/s; delivered %d/%d (%s) in %.2f s: %.0f deliveries/s%n",
        acked ? "all" : "NOT all", messages / ackSeconds, delivered.get(), total, complete ? "complete" : "INCOMPLETE",
        seconds, delivered.get() / seconds);
    System.out.printf("latency send->receive ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
        pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6);
    subs.forEach(WebSocket::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }

  private record URI(String host, int port) {
    static URI parse(String url) {
      java.net.URI u = java.net.URI.create(url);
      return new URI(u.getHost(), u.getPort());
    }
  }
}
