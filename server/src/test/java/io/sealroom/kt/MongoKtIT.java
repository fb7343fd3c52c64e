package io.sealroom.kt;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key-transparency routes on the mongodb engine, against a MongoDB of its own. */
class MongoKtIT extends KtRouteChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", KtHttp.ITER)
      .onExternalMongo().build();

  @Override
  NodeExtension node() {
    return node;
  }
}
