package io.sealroom.store;

import com.mongodb.MongoClientSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;

/**
 * The node's MongoDB client: vertx-mongo-client with every setting it derives from the connection
 * string, on the driver's own asynchronous socket transport instead of Netty's. The driver encodes
 * each command byte by byte into its output buffers; over Netty each byte is a call through a
 * swapped-endian buffer view, over the driver's transport a heap buffer put. Storing a message costs
 * markedly less CPU this way, and the event loops no longer carry the driver's socket reads.
 */
public final class StoreClients {
  private StoreClients() {
  }

  public static MongoClient create(Vertx vertx, String uri, String database) {
    JsonObject config = new JsonObject().put("connection_string", uri).put("db_name", database);
    MongoClientSettings parsed = new MongoClientOptionsParser(vertx, config).settings();
    // every setting vertx-mongo-client derived, but no transport settings: the driver's own transport
    MongoClientSettings.Builder b = MongoClientSettings.builder()
        .codecRegistry(parsed.getCodecRegistry())
        .compressorList(parsed.getCompressorList())
        .readConcern(parsed.getReadConcern())
        .readPreference(parsed.getReadPreference())
        .writeConcern(parsed.getWriteConcern())
        .retryReads(parsed.getRetryReads())
        .retryWrites(parsed.getRetryWrites())
        .applyToClusterSettings(s -> s.applySettings(parsed.getClusterSettings()))
        .applyToConnectionPoolSettings(s -> s.applySettings(parsed.getConnectionPoolSettings()))
        .applyToServerSettings(s -> s.applySettings(parsed.getServerSettings()))
        .applyToSocketSettings(s -> s.applySettings(parsed.getSocketSettings()))
        .applyToSslSettings(s -> s.applySettings(parsed.getSslSettings()));
    if (parsed.getCredential() != null) {
      b.credential(parsed.getCredential());
    }
    MongoClientSettings settings = b.build();
    return MongoClient.createWithMongoSettings(vertx, config, "sealroom", settings);
  }
}
