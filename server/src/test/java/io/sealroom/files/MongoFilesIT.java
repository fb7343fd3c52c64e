package io.sealroom.files;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file routes on the mongodb engine (GridFS), against a MongoDB of its own. */
class MongoFilesIT extends FileRouteChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().onExternalMongo().build();

  @Override
  NodeExtension node() {
    return node;
  }
}
