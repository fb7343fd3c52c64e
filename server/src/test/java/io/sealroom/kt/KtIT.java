package io.sealroom.kt;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key-transparency routes on the embedded engine (RocksDB). */
class KtIT extends KtRouteChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", KtHttp.ITER).build();

  @Override
  NodeExtension node() {
    return node;
  }
}
