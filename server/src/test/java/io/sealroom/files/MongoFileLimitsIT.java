package io.sealroom.files;

import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file limits on the mongodb engine: what a refused upload wrote to GridFS is removed. */
class MongoFileLimitsIT extends FileLimitChecks {
  @RegisterExtension
  static final NodeExtension node = limited().onExternalMongo().build();

  @Override
  NodeExtension node() {
    return node;
  }

  @Override
  long blobCount() {
    return node.mongo().count("blobs.chunks", new JsonObject());
  }
}
