package io.sealroom.keys;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verified-list routes on the embedded engine. */
class VerifiedListIT extends VerifiedListChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.minKdfIterations", ITER).build();

  @Override
  NodeExtension node() {
    return node;
  }
}
