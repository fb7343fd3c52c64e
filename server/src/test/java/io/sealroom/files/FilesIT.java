package io.sealroom.files;

import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file routes on the embedded engine (RocksDB and a files directory). */
class FilesIT extends FileRouteChecks {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();

  @Override
  NodeExtension node() {
    return node;
  }
}
