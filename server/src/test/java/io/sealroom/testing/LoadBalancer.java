package io.sealroom.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * nginx (Debian's /usr/sbin/nginx) running deploy/cluster/nginx.conf, the load balancer of the
 * docker-compose cluster, with its upstream servers pointed at test nodes and its listener on a
 * free loopback port. Without nginx the test is skipped, unless REQUIRE_NGINX=true (CI) makes it fail.
 */
public final class LoadBalancer implements AutoCloseable {
  public static final Path CONFIG = Path.of(System.getProperty("sealroom.root", ".."), "deploy", "cluster", "nginx.conf")
      .toAbsolutePath().normalize();
  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private final Process process;
  private final int port;

  private LoadBalancer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The shipped config with its upstream servers replaced by these ports and its listener by a free port. */
  static String configFor(String shipped, List<Integer> nodePorts, int listen, Path dir) {
    String[] lines = shipped.split("\n", -1);
    List<String> out = new ArrayList<>();
    boolean serversDone = false;
    for (String line : lines) {
      String t = line.trim();
      if (t.startsWith("server node")) {
        if (!serversDone) {
          for (int p : nodePorts) {
            out.add("    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;");
          }
          serversDone = true;
        }
        continue;
      }
      if (t.equals("listen 8080;")) {
        out.add("    listen 127.0.0.1:" + listen + ";");
        continue;
      }
      if (t.startsWith("pid ")) {
        out.add("pid " + dir.resolve("nginx.pid") + ";");
        continue;
      }
      out.add(line);
    }
    if (!serversDone) {
      throw new IllegalStateException(CONFIG + " has no 'server nodeN:8080' lines");
    }
    return String.join("\n", out);
  }

  public static LoadBalancer start(List<Integer> nodePorts, Path dir) throws Exception {
    if (!Files.isExecutable(NGINX)) {
      String msg = "nginx is not installed (apt-get install nginx)";
      if ("true".equals(System.getenv("REQUIRE_NGINX"))) {
        Assertions.fail(msg + ", and REQUIRE_NGINX=true");
      }
      Assumptions.abort(msg);
    }
    Files.createDirectories(dir.resolve("logs"));
    int port = JarProcess.freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, configFor(Files.readString(CONFIG), nodePorts, port, dir));
    Process p = new ProcessBuilder(NGINX.toString(), "-e", "stderr", "-p", dir.toString(), "-c", conf.toString(),
        "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.log")));
      }
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return new LoadBalancer(p, port);
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("nginx did not listen on " + port);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
