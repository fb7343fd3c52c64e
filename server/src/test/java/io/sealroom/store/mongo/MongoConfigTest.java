package io.sealroom.store.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The driver's waits come from store.opTimeoutMs unless the connection string sets them. */
class MongoConfigTest {
  @Test
  void theDriversWaitsAreTheDeadline() {
    JsonObject c = MongoConfig.client("mongodb://127.0.0.1:27017", "sealroom", 2000);
    assertEquals("mongodb://127.0.0.1:27017", c.getString("connection_string"));
    assertEquals("sealroom", c.getString("db_name"));
    assertEquals(2000L, c.getLong("serverSelectionTimeoutMS"));
    assertEquals(2000, c.getInteger("connectTimeoutMS"));
    assertEquals(2000L, c.getLong("waitQueueTimeoutMS"));
  }

  @Test
  void aWaitTheConnectionStringSetsIsKept() {
    JsonObject c = MongoConfig.client("mongodb://db1,db2/?replicaSet=rs0&serverSelectionTimeoutMS=9000&connectTimeoutMS=7000",
        "sealroom", 2000);
    assertEquals(null, c.getValue("serverSelectionTimeoutMS"));
    assertEquals(null, c.getValue("connectTimeoutMS"));
    assertEquals(2000L, c.getLong("waitQueueTimeoutMS"));
  }

  @Test
  void credentialsAreLeftOutOfLogLines() {
    assertEquals("mongodb://db1:27017/?replicaSet=rs0", MongoConfig.redacted("mongodb://app:s3cret@db1:27017/?replicaSet=rs0"));
    assertEquals("mongodb+srv://cluster.example/", MongoConfig.redacted("mongodb+srv://u:p@cluster.example/"));
    assertEquals("mongodb://127.0.0.1:27017", MongoConfig.redacted("mongodb://127.0.0.1:27017"));
  }
}
