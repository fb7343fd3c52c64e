package io.sealroom.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded MongoDB-protocol server (mongo-java-server), started in-process on a loopback
 * port. With a data directory it uses the on-disk H2 MVStore backend, which commits in the
 * background only about once a second: {@link #commit()} forces a commit, and is what acks
 * wait for. Blocking methods: call them from a worker or at start-up.
 */
public final class EmbeddedMongo {
  private static final String FILE_NAME = "sealroom.mv";

  private final MongoServer server;
  private final H2Backend h2;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, H2Backend h2, InetSocketAddress address) {
    this.server = server;
    this.h2 = h2;
    this.address = address;
  }

  /** Starts the server; dataDir "mem:" keeps everything in memory. */
  public static EmbeddedMongo start(String dataDir) throws IOException {
    H2Backend h2 = null;
    MongoServer server;
    if ("mem:".equals(dataDir)) {
      server = new MongoServer(new MemoryBackend());
    } else {
      Path dir = Path.of(dataDir);
      Files.createDirectories(dir);
      h2 = new H2Backend(dir.resolve(FILE_NAME).toString());
      server = new MongoServer(h2);
    }
    server.bind("127.0.0.1", 0);
    InetSocketAddress address = server.getLocalAddress();
    return new EmbeddedMongo(server, h2, address);
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  public boolean persistent() {
    return h2 != null;
  }

  /** Commits everything written so far to the file (no-op in memory). Blocking. */
  public void commit() {
    if (h2 != null) {
      h2.commit();
    }
  }

  /** Stops the server; the on-disk backend commits and closes its file. Blocking. */
  public void stop() {
    server.shutdown();
  }
}
