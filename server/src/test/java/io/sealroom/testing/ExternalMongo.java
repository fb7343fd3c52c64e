package io.sealroom.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MongoDB-protocol server (mongo-java-server, in memory) that a node reaches through
 * {@code mongo.uri}, so a test can look at and arrange the stored documents directly and can
 * take the store down under a running node. Blocking methods: call them from the test thread.
 */
public final class ExternalMongo implements AutoCloseable {
  public static final String DATABASE = "sealroom";
  private final MongoServer server;
  private final int port;
  private final Vertx vertx;
  private final MongoClient client;
  private boolean down;

  private ExternalMongo(MongoServer server, int port) {
    this.server = server;
    this.port = port;
    this.vertx = Vertx.vertx();
    this.client = MongoClient.createShared(vertx, new JsonObject().put("connection_string", uri())
        .put("db_name", DATABASE), "external-mongo-fixture");
  }

  public static ExternalMongo start() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    InetSocketAddress a = server.getLocalAddress();
    return new ExternalMongo(server, a.getPort());
  }

  /** The connection string for mongo.uri; short timeouts so that a store outage shows quickly. */
  public String uri() {
    return "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000";
  }

  public JsonObject findOne(String collection, JsonObject query) {
    return await(client.findOne(collection, query, null));
  }

  public List<JsonObject> find(String collection, JsonObject query) {
    return await(client.find(collection, query));
  }

  public long count(String collection, JsonObject query) {
    return await(client.count(collection, query));
  }

  /** Applies {"$set": set} to the documents matching the query. */
  public void set(String collection, JsonObject query, JsonObject set) {
    await(client.updateCollection(collection, query, new JsonObject().put("$set", set)));
  }

  /** Stops the server: every node using it sees its store go down. */
  public void shutdown() {
    if (!down) {
      down = true;
      server.shutdownNow();
    }
  }

  @Override
  public void close() {
    try {
      await(client.close());
    } catch (RuntimeException e) {
      // closing anyway
    }
    await(vertx.close());
    shutdown();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the store did not answer within 10 s", e);
    }
  }
}
