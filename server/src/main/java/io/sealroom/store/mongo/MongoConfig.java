package io.sealroom.store.mongo;

import com.mongodb.ConnectionString;
import io.vertx.core.json.JsonObject;

/**
 * The node's vertx-mongo-client configuration: the connection string and database, and the
 * driver's waits taken from {@code store.opTimeoutMs} instead of its defaults (30 s to select a
 * server, 10 s to connect, 2 min for a pooled connection), so that the driver gives up about when
 * a request would be answered {@code unavailable} anyway. A wait the connection string sets
 * itself ({@code serverSelectionTimeoutMS}, {@code connectTimeoutMS}, {@code waitQueueTimeoutMS})
 * is kept; each store operation is bounded by the deadline all the same.
 */
public final class MongoConfig {
  private MongoConfig() {
  }

  public static JsonObject client(String uri, String database, int opTimeoutMs) {
    ConnectionString cs = new ConnectionString(uri);
    JsonObject config = new JsonObject().put("connection_string", uri).put("db_name", database);
    if (cs.getServerSelectionTimeout() == null) {
      config.put("serverSelectionTimeoutMS", (long) opTimeoutMs);
    }
    if (cs.getConnectTimeout() == null) {
      config.put("connectTimeoutMS", opTimeoutMs);
    }
    if (cs.getMaxWaitTime() == null) {
      config.put("waitQueueTimeoutMS", (long) opTimeoutMs);
    }
    return config;
  }

  /** The connection string without user name and password, for a log line. */
  public static String redacted(String uri) {
    return uri.replaceFirst("^(mongodb(?:\\+srv)?://)[^@/]*@", "$1");
  }
}
