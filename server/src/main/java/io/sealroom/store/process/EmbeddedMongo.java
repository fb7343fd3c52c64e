package io.sealroom.store.process;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.sealroom.store.FileModes;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded MongoDB-protocol server (mongo-java-server). With a data directory it uses the
 * on-disk H2 MVStore backend, which commits in the background only about once a second.
 * <ul>
 *   <li>{@link #start} runs it in this process on a free loopback port: what reads an earlier
 *       version's data directory to move it into RocksDB, and tests; stopping it commits.</li>
 *   <li>{@link #serve} runs it as the store process ({@code sealroom.jar store}): the reply to
 *       every write command leaves only after a commit that started after the write (one commit
 *       for all writes waiting at once, see {@link StoreProcessBackend}), and it answers
 *       {@link StoreProbe#COMMAND} so that nodes know what they talk to.</li>
 * </ul>
 * The data directory is owner-only: 0700, its file 0600.
 * Blocking methods: call them from a worker or at start-up.
 */
public final class EmbeddedMongo {
  private static final String FILE_NAME = "sealroom.mv";

  private final MongoServer server;
  private final H2Backend h2;
  private final CommitLoop commits;
  private final String host;
  private final int port;

  private EmbeddedMongo(MongoServer server, H2Backend h2, CommitLoop commits, String host) {
    this.server = server;
    this.h2 = h2;
    this.commits = commits;
    this.host = host;
    this.port = server.getLocalAddress().getPort();
  }

  /** Starts the server in-process on a free loopback port; dataDir "mem:" keeps everything in memory. */
  public static EmbeddedMongo start(String dataDir) throws IOException {
    H2Backend h2 = openH2(dataDir);
    MongoServer server = new MongoServer(h2 != null ? h2 : new MemoryBackend());
    server.bind("127.0.0.1", 0);
    return new EmbeddedMongo(server, h2, null, "127.0.0.1");
  }

  /**
   * Starts the store process's server on host:port (0: a free port): every write is committed
   * before its reply; dataDir "mem:" keeps everything in memory (and has nothing to commit).
   */
  public static EmbeddedMongo serve(String host, int port, String dataDir) throws IOException {
    H2Backend h2 = openH2(dataDir);
    CommitLoop commits = h2 != null ? new CommitLoop(h2::commit) : null;
    MongoBackend backend = new StoreProcessBackend(h2 != null ? h2 : new MemoryBackend(), commits);
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(host, port);
    } catch (RuntimeException e) {
      // bind() has shut the server down, and with it the backend's file
      if (commits != null) {
        commits.close();
      }
      throw e;
    }
    return new EmbeddedMongo(server, h2, commits, host);
  }

  private static H2Backend openH2(String dataDir) throws IOException {
    if ("mem:".equals(dataDir)) {
      return null;
    }
    Path dir = Path.of(dataDir);
    FileModes.prepareDataDir(dir); // owner-only, an earlier version's looser directory included
    H2Store h2 = H2Store.open(dir.resolve(FILE_NAME).toString());
    FileModes.tighten(dir); // the file H2 has just created
    return h2;
  }

  public String connectionString() {
    return "mongodb://" + host + ":" + port;
  }

  public int port() {
    return port;
  }

  /**
   * Stops the server: no new connections, a last commit for the replies still held back (store
   * process), then the on-disk backend commits and closes its file. Blocking.
   */
  public void stop() {
    if (commits != null) {
      server.stopListening();
      commits.close();
    }
    server.shutdown();
  }
}
