package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No plaintext at rest: after an encrypted room's upload of a file full of a marker string (its
 * name and the message's text carry it too), no file under the node's data directory (RocksDB's
 * tables and logs, the file bytes) contains the marker. The same scan finds it after a plain
 * room's upload, so the scan itself can fail.
 */
class EncryptedFilesAtRestIT {
  static final Path DATA = tempDir();
  static final String MARKER = "SEALROOM-AT-REST-MARKER-7f3a";

  @RegisterExtension
  static final SdkUsers users = new SdkUsers(Map.of("store.dataDir", DATA.toString()));

  @TempDir
  Path dir;

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sealroom-at-rest");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void removeData() throws IOException {
    try (Stream<Path> all = Files.walk(DATA)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The data directory's files whose bytes contain the marker. */
  static List<Path> filesWithMarker() throws IOException {
    byte[] needle = MARKER.getBytes(StandardCharsets.US_ASCII);
    List<Path> found = new ArrayList<>();
    try (Stream<Path> all = Files.walk(DATA)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p) && io.sealroom.testing.ByteSearch.contains(Files.readAllBytes(p), needle)) {
          found.add(DATA.relativize(p));
        }
      }
    }
    return found;
  }

  @Test
  void anEncryptedRoomsFileLeavesNoPlaintextInTheDataDirectoryAndAPlainRoomsDoes() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room sealed = alice.createRoom(NewRoom.privateGroup("sealed", bob.user().username()).encrypted(true));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(sealed.id(), inbox);
    Path file = dir.resolve(MARKER + ".txt");
    Files.writeString(file, (MARKER + "\n").repeat(20_000));
    FileUpload up = alice.upload(sealed.id(), file);
    alice.send(sealed.id(), "see " + MARKER, List.of(up));
    ChatMessage m = inbox.nextMessage();
    assertEquals(MARKER + ".txt", m.files().get(0).name(), "the name travels in the ciphertext");
    assertEquals(List.of(), filesWithMarker(), "no plaintext under " + DATA);

    Room plain = alice.createRoom(NewRoom.privateGroup("plain", bob.user().username()).encrypted(false));
    alice.send(plain.id(), "plain", List.of(alice.upload(plain.id(), file)));
    assertTrue(!filesWithMarker().isEmpty(), "the scan finds a plain room's file");
  }
}
