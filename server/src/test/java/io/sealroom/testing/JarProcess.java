package io.sealroom.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged server (target/sealroom.jar) as a separate process, configured through SEALROOM_* variables. */
public final class JarProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private JarProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Path jar() {
    String p = System.getProperty("sealroom.jar", "../target/sealroom.jar");
    return Path.of(p);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the jar and waits for its "listening on" line. */
  public static JarProcess start(int port, Map<String, String> env, Path log) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of("SEALROOM_HTTP_HOST", "127.0.0.1",
        "SEALROOM_HTTP_PORT", String.valueOf(port), "SEALROOM_AUTH_ARGON2_MEMORYKB", "64",
        "SEALROOM_AUTH_ARGON2_ITERATIONS", "1", "SEALROOM_WS_SENDRATEPERSECOND", "0",
        // tests register and log in many users from one address
        "SEALROOM_AUTH_REGISTRATIONRATE_PERADDRESS", "100000", "SEALROOM_AUTH_LOGINRATE_SUCCESSPERACCOUNT", "100000"));
    all.putAll(env);
    return new JarProcess(launch(List.of(), all, log, "listening on http://"), port);
  }

  /**
   * Starts {@code java -jar sealroom.jar ARGS} with only the given SEALROOM_* variables, stderr
   * appended to the log, and waits up to 60 s for a line on stdout containing readyText.
   */
  public static Process launch(List<String> args, Map<String, String> env, Path log, String readyText) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SEALROOM_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.contains(readyText)) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // process gone
      }
      ready.completeExceptionally(new IllegalStateException("process exited before it was ready, see " + log));
    }, "jar-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      String threads = p.isAlive() ? threadDump(p.pid()) : "(exited with " + p.exitValue() + ")";
      p.destroyForcibly();
      throw new IllegalStateException("not ready: " + e + "; end of " + log + ":\n" + tail(log, 20)
          + "\nthreads of the process:\n" + threads, e);
    }
    return p;
  }

  /**
   * Runs {@code java -jar sealroom.jar ARGS} to its end (a data command: export, import,
   * backup) with only the given SEALROOM_* variables, its output appended to the log; its exit
   * status. Fails when it has not ended within two minutes.
   */
  public static int run(Map<String, String> env, Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SEALROOM_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the command did not end: " + String.join(" ", args));
    }
    return p.exitValue();
  }

  /** The last lines of a log, for a failure message. */
  public static String tail(Path log, int count) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no final commit. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The process's threads as {@code jcmd PID Thread.print} shows them (for a test that found it stuck). */
  public String threadDump() {
    return threadDump(process.pid());
  }

  private static String threadDump(long pid) {
    try {
      Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid), "Thread.print").redirectErrorStream(true).start();
      String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      j.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  public Process process() {
    return process;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
