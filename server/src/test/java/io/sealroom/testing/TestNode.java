package io.sealroom.testing;

import io.sealroom.Node;
import io.sealroom.config.Config;
import io.sealroom.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A real Sealroom node in this JVM on a free port, with the in-memory embedded store (unless
 * the overrides say otherwise) and cheap password hashing so tests run fast.
 */
public final class TestNode implements RunningNode, AutoCloseable {
  private final Node node;
  private final Config config;

  private TestNode(Node node, Config config) {
    this.node = node;
    this.config = config;
  }

  /** Starts a node; overrides are config paths ("ws.maxQueuedBytes") to values. */
  public static TestNode start(Map<String, Object> overrides) throws Exception {
    JsonObject json = new JsonObject();
    Map<String, Object> base = new java.util.HashMap<>(Map.of(
        "http.host", "127.0.0.1",
        "http.port", 0,
        "store.dataDir", "mem:",
        "auth.argon2.memoryKb", 64,
        "auth.argon2.iterations", 1,
        "auth.loginRate.perUsername", 1000,
        "auth.loginRate.perAddress", 100000,
        "ws.sendRatePerSecond", 0));
    base.put("auth.loginRate.successPerAccount", 100000);
    base.put("auth.registrationRate.perAddress", 100000);
    base.putAll(overrides);
    base.forEach((path, value) -> put(json, path, value));
    Config config = ConfigLoader.load(json, Map.of());
    return new TestNode(Node.start(config), config);
  }

  public static TestNode start() throws Exception {
    return start(Map.of());
  }

  private static void put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject o = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = o.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        o.put(parts[i], next);
      }
      o = next;
    }
    o.put(parts[parts.length - 1], value instanceof java.util.List ? new io.vertx.core.json.JsonArray((java.util.List<?>) value) : value);
  }

  @Override
  public int port() {
    return node.port();
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Vertx vertx() {
    return node.vertx();
  }

  @Override
  public void close() {
    node.stop();
  }
}
