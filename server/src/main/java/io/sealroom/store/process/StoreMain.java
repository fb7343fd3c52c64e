package io.sealroom.store.process;

import io.sealroom.config.ConfigException;

/**
 * The store process: {@code java -jar sealroom.jar store [--host HOST] [--port PORT]
 * [--data-dir DIR]} runs the embedded MongoDB-protocol server on its own, for several nodes to
 * share through {@code mongo.uri}. A write it acknowledged survives kill -9 of this process (see
 * {@link EmbeddedMongo#serve}). Bad arguments print one line naming the argument and exit with 2;
 * once it serves it prints {@code store listening on mongodb://HOST:PORT}; SIGTERM commits and
 * closes the file.
 */
public final class StoreMain {
  /** The first argument that selects the store process instead of a node. */
  public static final String COMMAND = "store";

  private StoreMain() {
  }

  /** Runs the store with the arguments after {@code store}. */
  public static void main(String[] args) {
    StoreArgs parsed;
    try {
      parsed = StoreArgs.parse(args);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      EmbeddedMongo store = EmbeddedMongo.serve(parsed.host(), parsed.port(), parsed.dataDir());
      Runtime.getRuntime().addShutdownHook(new Thread(store::stop, "sealroom-store-shutdown"));
      System.out.println("store listening on " + store.connectionString()
          + (parsed.inMemory() ? " (in memory: nothing survives a restart)" : " (data dir " + parsed.dataDir() + ")"));
      System.out.flush();
    } catch (Exception e) {
      System.err.println("startup failed: " + e);
      System.exit(1);
    }
  }
}
