package io.sealroom.files;

import io.sealroom.testing.NodeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  @Test
  void aBlobMissingOnDiskIsAnErrorAnswerNotAFileHeaderWithoutItsBytes() throws Exception {
    io.sealroom.testing.Api.User u = api().newUser("lost");
    String rid = api().createRoom(u, "p", "lost", java.util.List.of());
    String fid = files().upload(u.token(), rid, new byte[5000], "lost.bin", null).file().getString("id");
    Path blob = blobs.get().resolve(fid.substring(0, 2)).resolve(fid);
    Files.delete(blob);
    io.sealroom.testing.FileApi.Res r = files().download(u.token(), fid);
    org.junit.jupiter.api.Assertions.assertEquals(404, r.status());
    org.junit.jupiter.api.Assertions.assertEquals("not_found", r.errorCode());
    org.junit.jupiter.api.Assertions.assertNull(r.header("ETag"), "no file headers on an error");
    org.junit.jupiter.api.Assertions.assertNull(r.header("Content-Disposition"));
    // the connection stays usable: the next answer is read whole
    org.junit.jupiter.api.Assertions.assertEquals(201, files().upload(u.token(), rid, new byte[10], null, null).status());
  }
}
