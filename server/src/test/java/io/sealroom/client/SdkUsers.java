package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.NodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test helpers: a node with cheap key wrapping, fresh users, logged-in clients that close with
 * the test class. Register it on a static field: the node runs for the class, and the clients
 * made here are closed before it stops.
 */
final class SdkUsers implements BeforeAllCallback, AfterAllCallback {
  static final int ITER = 1000;
  final NodeExtension node;
  private final List<SealroomClient> clients = new ArrayList<>();

  SdkUsers(Map<String, Object> overrides) {
    node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).config(overrides).build();
  }

  SdkUsers() {
    this(Map.of());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      synchronized (clients) {
        clients.forEach(SealroomClient::close);
        clients.clear();
      }
    } finally {
      node.afterAll(context);
    }
  }

  static ClientOptions options() {
    return ClientOptions.defaults().withKdfIterations(ITER).withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
        .withGapTimeout(Duration.ofMillis(500)).withSendTimeout(Duration.ofSeconds(20))
        .withKeyTimeout(Duration.ofSeconds(10));
  }

  String url() {
    return node.baseUrl();
  }

  /** A new account; returns its username (the password is "pw-" + username). */
  String newAccount(String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    SealroomClient.register(url(), name, password(name));
    return name;
  }

  static String password(String username) {
    return "pw-" + username;
  }

  SealroomClient login(String username) {
    return login(username, options());
  }

  SealroomClient login(String username, ClientOptions options) {
    SealroomClient c = SealroomClient.login(url(), username, password(username), options);
    synchronized (clients) {
      clients.add(c);
    }
    return c;
  }

  /** A new account, logged in. */
  SealroomClient newClient(String prefix) {
    return login(newAccount(prefix));
  }

  /** A new account with E2E set up. */
  SealroomClient newE2eClient(String prefix) {
    SealroomClient c = newClient(prefix);
    c.e2e().setup();
    return c;
  }

  /** Collects a subscription's messages. */
  static final class Inbox implements MessageHandler {
    final BlockingQueue<ChatMessage> queue = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage m) {
      queue.add(m);
    }

    ChatMessage next() throws InterruptedException {
      ChatMessage m = queue.poll(15, TimeUnit.SECONDS);
      assertTrue(m != null, "no message within 15 s");
      return m;
    }

    List<ChatMessage> next(int n) throws InterruptedException {
      List<ChatMessage> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(next());
      }
      return out;
    }

    /** The next entry, which must be a timeline event of this type. */
    ChatMessage nextEvent(String type) throws InterruptedException {
      ChatMessage m = next();
      assertTrue(m.isEvent() && type.equals(m.event().type()), "expected event " + type + ", got " + m);
      return m;
    }

    /** The next n entries, which must all be messages (not events). */
    List<ChatMessage> nextMessages(int n) throws InterruptedException {
      List<ChatMessage> out = next(n);
      assertTrue(out.stream().noneMatch(ChatMessage::isEvent), "expected only messages: " + out);
      return out;
    }

    ChatMessage nextMessage() throws InterruptedException {
      return nextMessages(1).get(0);
    }

    ChatMessage poll(long ms) throws InterruptedException {
      return queue.poll(ms, TimeUnit.MILLISECONDS);
    }
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
