package io.sealroom.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The store process ({@code sealroom.jar store}) as a separate process on a given port and data directory. */
public final class StoreJar implements AutoCloseable {
  private final Process process;
  private final int port;

  private StoreJar(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the store and waits for its "store listening on" line. */
  public static StoreJar start(int port, String dataDir, Path log) throws Exception {
    List<String> args = List.of("store", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dataDir);
    return new StoreJar(JarProcess.launch(args, Map.of(), log, "store listening on mongodb://127.0.0.1:" + port), port);
  }

  /** The node's mongo.uri for this store. */
  public String uri() {
    return "mongodb://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no final commit. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process keeps its sockets open but answers nothing, as a hung store does. */
  public void suspend() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM, and the exit code once the process has ended (-1 if it has not within 20 s). */
  public int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor(20, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        resume(); // a suspended process does not act on SIGTERM
      } catch (Exception e) {
        // it ends anyway below
      }
      try {
        if (terminate() < 0) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
