package io.sealroom.keys;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verified-list routes on the mongodb engine, against a MongoDB of its own. */
class MongoVerifiedListIT extends VerifiedListChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().onExternalMongo().config("e2e.minKdfIterations", ITER).build();

  @Override
  NodeExtension node() {
    return node;
  }
}
