package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A file over files.maxBytes is refused with the server's code, from a path and from a stream. */
class SdkFileLimitsIT {
  static final int MAX = 1_000_000;

  @RegisterExtension
  static final SdkUsers users = new SdkUsers(Map.of("files.maxBytes", MAX));

  @TempDir
  Path dir;

  /** An endless stream of zeros: an upload must stop reading it once the server refuses. */
  private static InputStream endless() {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
  }

  @Test
  void aTooLargeFileIsTooLargeInBothKindsOfRoom() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    Room plain = alice.createRoom(NewRoom.privateGroup("plain").encrypted(false));
    Room sealed = alice.createRoom(NewRoom.privateGroup("sealed").encrypted(true));
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[MAX + 1]);
    for (Room room : new Room[] {plain, sealed}) {
      SealroomException fromPath = assertThrows(SealroomException.class, () -> alice.upload(room.id(), big));
      assertEquals("too_large", fromPath.code(), fromPath.getMessage());
      assertEquals(413, fromPath.status());
      SealroomException fromStream = assertThrows(SealroomException.class,
          () -> alice.upload(room.id(), endless(), "endless", null));
      assertEquals("too_large", fromStream.code(), fromStream.getMessage());
    }
  }
}
