package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A cluster on loopback, as an operator runs it on one machine: the store process
 * ({@code java -jar sealroom.jar store}, on-disk) and N node processes ({@code java -jar
 * sealroom.jar} with cluster.enabled and mongo.uri), each with its own HTTP port, one cluster
 * name of their own (no other test's cluster can join) and a Hazelcast port range of their own.
 */
public final class ClusterProcesses implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> nodeEnv;
  private final StoreJar store;
  private final JarProcess[] nodes;
  private final int[] ports;

  private ClusterProcesses(Path dir, Map<String, String> nodeEnv, StoreJar store, int size) {
    this.dir = dir;
    this.nodeEnv = nodeEnv;
    this.store = store;
    this.nodes = new JarProcess[size];
    this.ports = new int[size];
  }

  /** Starts the store and {@code size} nodes (one after the other); {@code env} adds SEALROOM_* settings of the nodes. */
  public static ClusterProcesses start(Path dir, int size, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    StoreJar store = StoreJar.start(JarProcess.freePort(), dir.resolve("store").toString(), dir.resolve("store.log"));
    Map<String, String> nodeEnv = new HashMap<>();
    nodeEnv.put("SEALROOM_MONGO_URI", store.uri());
    nodeEnv.put("SEALROOM_CLUSTER_ENABLED", "true");
    nodeEnv.put("SEALROOM_CLUSTER_HOST", "127.0.0.1");
    nodeEnv.put("SEALROOM_CLUSTER_NAME", "it-" + UUID.randomUUID().toString().substring(0, 8));
    nodeEnv.put("SEALROOM_CLUSTER_PORT", String.valueOf(clusterPortBase()));
    nodeEnv.put("SEALROOM_HTTP_INSTANCES", "2");
    nodeEnv.putAll(env);
    ClusterProcesses c = new ClusterProcesses(dir, nodeEnv, store, size);
    try {
      for (int i = 0; i < size; i++) {
        c.ports[i] = JarProcess.freePort();
        c.startNode(i);
      }
      c.awaitMembers(size, 60);
    } catch (Exception e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** A base with ten free ports after it (Hazelcast takes the first free one of ten). */
  private static int clusterPortBase() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      boolean free = true;
      for (int p = base; p < base + 10 && free; p++) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
          s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
        } catch (java.io.IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of ten ports");
  }

  private void startNode(int i) throws Exception {
    nodes[i] = JarProcess.start(ports[i], nodeEnv, dir.resolve("node" + i + ".log"));
  }

  public java.util.List<Integer> httpPorts() {
    return java.util.Arrays.stream(ports).boxed().toList();
  }

  public int size() {
    return nodes.length;
  }

  public Api api(int i) {
    return new Api(baseUrl(i));
  }

  public String baseUrl(int i) {
    return "http://127.0.0.1:" + ports[i];
  }

  public String wsUrl(int i) {
    return "ws://127.0.0.1:" + ports[i] + "/ws";
  }

  public JsonObject health(int i) {
    return api(i).get("/health", null).json();
  }

  /** SIGKILL of node i: no shutdown hook, it does not leave the cluster politely. */
  public void kill9(int i) throws InterruptedException {
    nodes[i].kill9();
  }

  /** Starts node i again on its port. */
  public void restart(int i) throws Exception {
    startNode(i);
  }

  /** Waits until every running node's /health reports {@code members} members. */
  public void awaitMembers(int members, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> last = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      last.clear();
      boolean all = true;
      for (int i = 0; i < nodes.length; i++) {
        if (nodes[i] == null || !nodes[i].process().isAlive()) {
          continue;
        }
        JsonObject cluster = health(i).getJsonObject("cluster", new JsonObject());
        last.add("node" + i + ": " + cluster.getInteger("size"));
        all &= cluster.getInteger("size", 0) == members;
      }
      if (all) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("members never reached " + members + ": " + last);
  }

  @Override
  public void close() {
    for (JarProcess n : nodes) {
      if (n != null) {
        try {
          n.close();
        } catch (Exception e) {
          // closing the rest anyway
        }
      }
    }
    store.close();
  }
}
