package io.sealroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only permissions: what is created, what is tightened, what is left alone. */
class FileModesTest {
  @TempDir
  Path tmp;

  @Test
  void newDirectoriesAndFilesAreOwnerOnly() throws Exception {
    Path dir = FileModes.createPrivateDirectories(tmp.resolve("a/b/c"));
    assertEquals("rwx------", mode(tmp.resolve("a")), "missing parents too");
    assertEquals("rwx------", mode(dir));
    Path file = FileModes.createPrivateFile(dir.resolve("export.part"));
    assertEquals("rw-------", mode(file));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    FileModes.createPrivateFile(file);
    assertEquals("rw-------", mode(file), "an existing file is tightened");
  }

  @Test
  void tightenTakesGroupAndOtherAwayKeepsTheOwnersBitsAndFollowsNoLink() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("data/db"));
    Path table = Files.writeString(root.resolve("000009.sst"), "x");
    Path script = Files.writeString(tmp.resolve("data/run.sh"), "x");
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "x");
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(tmp.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));

    assertEquals(4, FileModes.tighten(tmp.resolve("data")));
    assertEquals("rwx------", mode(tmp.resolve("data")));
    assertEquals("rwx------", mode(root));
    assertEquals("rw-------", mode(table));
    assertEquals("rwx------", mode(script), "the owner's bits stay");
    assertEquals("rw-r--r--", mode(outside), "a link is not followed");
    assertEquals(0, FileModes.tighten(tmp.resolve("data")), "nothing left to do");
    assertEquals(0, FileModes.tighten(tmp.resolve("missing")));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
