package io.sealroom.files;

import io.sealroom.testing.NodeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file limits on the embedded engine, whose file bytes are in a directory the test reads. */
class FileLimitsIT extends FileLimitChecks {
  static final AtomicReference<Path> blobs = new AtomicReference<>();

  @RegisterExtension
  static final NodeExtension node = limited().file("files.dir", dir -> {
    Path d = Files.createDirectories(dir.resolve("blobs"));
    blobs.set(d);
    return d;
  }).build();

  @Override
  NodeExtension node() {
    return node;
  }

  @Override
  long blobCount() throws Exception {
    try (Stream<Path> all = Files.walk(blobs.get())) {
      return all.filter(Files::isRegularFile).count();
    }
  }
}
