package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.FileCrypto;
import io.sealroom.client.crypto.FileIntegrityException.Failure;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and downloads against the file routes of a fake server: the wire, and every check. */
class FileTransfersTest {
  private static final String ROOM = "room0000000000000001";
  private FakeFileServer server;
  private FileTransfers files;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws IOException {
    server = new FakeFileServer();
    Rest rest = new Rest(HttpClient.newHttpClient(), server.url(), Duration.ofSeconds(10), "a-token");
    files = new FileTransfers(HttpClient.newHttpClient(), rest, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** What a receiver makes of the message that carries these uploads. */
  private Attachment received(FileUpload u) {
    if (!u.encrypted()) {
      JsonObject f = new JsonObject().put("id", u.id()).put("size", u.size()).put("sha256", u.storedSha256());
      if (u.name() != null) {
        f.put("name", u.name());
      }
      return FileDescriptors.plain(new JsonArray().add(f)).get(0);
    }
    JsonArray server = new JsonArray().add(new JsonObject().put("id", u.id()).put("size", u.storedSize())
        .put("sha256", FakeFileServer.sha(this.server.stored.get(u.id()))));
    return FileDescriptors.encrypted(FileDescriptors.descriptors(List.of(u)), server).get(0);
  }

  @Test
  void aPlainUploadSendsTheBytesAsTheyAreWithNameAndType() throws IOException {
    byte[] plain = bytes(3 * FileCrypto.CHUNK + 7);
    List<long[]> progress = new ArrayList<>();
    FileUpload u = files.upload(ROOM, false, new ByteArrayInputStream(plain), plain.length, "notes ä.txt",
        "Text/Plain", (done, total) -> progress.add(new long[] {done, total}));
    assertArrayEquals(plain, server.stored.get(u.id()));
    FakeFileServer.Received r = server.received.get(u.id());
    assertEquals("name=notes+%C3%A4.txt&type=text%2Fplain", r.query());
    assertEquals(String.valueOf(plain.length), r.contentLength());
    assertEquals("Bearer a-token", r.authorization());
    assertFalse(u.encrypted());
    assertEquals("text/plain", u.type());
    assertEquals(FakeFileServer.sha(plain), u.storedSha256());
    assertEquals(plain.length, progress.get(progress.size() - 1)[0]);
    assertEquals(plain.length, progress.get(0)[1]);
    assertFalse(u.toString().contains("notes"));
  }

  @Test
  void anEncryptedUploadSendsCiphertextOnlyAndNoNameOrType() throws IOException {
    byte[] plain = "a marker the server must never see".repeat(5000).getBytes();
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(plain), plain.length, "plan.pdf",
        "application/pdf", null);
    byte[] stored = server.stored.get(u.id());
    FakeFileServer.Received r = server.received.get(u.id());
    assertNull(r.query(), "name and type stay inside the ciphertext");
    assertEquals(String.valueOf(FileCrypto.sealedSize(plain.length)), r.contentLength());
    assertEquals(FileCrypto.sealedSize(plain.length), stored.length);
    assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("marker"));
    assertTrue(u.encrypted());
    assertEquals(plain.length, u.size());
    assertEquals(FakeFileServer.sha(stored), u.storedSha256());
    assertEquals("plan.pdf", u.name());
  }

  @Test
  void anUploadOfUnknownLengthIsSentChunked() {
    byte[] plain = bytes(200_000);
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(plain), -1, null, null, null);
    FakeFileServer.Received r = server.received.get(u.id());
    assertNull(r.contentLength());
    assertEquals("chunked", r.transferEncoding());
    assertEquals(plain.length, u.size());
  }

  @Test
  void anEmptyFileIsUploadedInBothKindsOfRoom() {
    FileUpload plain = files.upload(ROOM, false, new ByteArrayInputStream(new byte[0]), 0, "empty", null, null);
    assertEquals(0, server.stored.get(plain.id()).length);
    FileUpload enc = files.upload(ROOM, true, new ByteArrayInputStream(new byte[0]), 0, "empty", null, null);
    assertEquals(16, server.stored.get(enc.id()).length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, files.download(received(enc), out, null).size());
  }

  @Test
  void encryptedFilesComeBackDecryptedAndChecked() throws IOException {
    byte[] plain = bytes(2 * FileCrypto.CHUNK + 100);
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(plain), plain.length, "x.bin", null, null);
    Attachment a = received(u);
    assertEquals("x.bin", a.name());
    assertFalse(a.toString().contains("x.bin"));
    List<long[]> progress = new ArrayList<>();
    Path target = dir.resolve("x.bin");
    Downloaded d = files.download(a, target, (done, total) -> progress.add(new long[] {done, total}));
    assertArrayEquals(plain, Files.readAllBytes(target));
    assertEquals(new Downloaded(plain.length, FakeFileServer.sha(plain)), d);
    assertEquals(3, progress.size(), "once per chunk");
    assertEquals(plain.length, progress.get(2)[0]);
    assertEquals(plain.length, progress.get(2)[1]);
  }

  @Test
  void plainFilesComeBackChecked() throws IOException {
    byte[] plain = bytes(100_000);
    FileUpload u = files.upload(ROOM, false, new ByteArrayInputStream(plain), -1, "p.bin", null, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(new Downloaded(plain.length, FakeFileServer.sha(plain)), files.download(received(u), out, null));
    assertArrayEquals(plain, out.toByteArray());
  }

  @Test
  void aTamperedEncryptedFileIsRefusedAndNothingIsLeftBehind() throws IOException {
    byte[] plain = bytes(2 * FileCrypto.CHUNK + 100);
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(plain), plain.length, null, null, null);
    Attachment a = received(u);
    server.stored.get(u.id())[FileCrypto.PIECE + 3] ^= 1; // the server keeps announcing the old ETag
    Path target = dir.resolve("t.bin");
    FileVerificationException e = assertThrows(FileVerificationException.class, () -> files.download(a, target, null));
    assertEquals(Failure.TAG, e.failure());
    assertEquals("file_integrity", e.code());
    assertTrue(e.getMessage().contains("chunk 1"), e.getMessage());
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void aTruncatedEncryptedFileIsRefused() {
    byte[] plain = bytes(2 * FileCrypto.CHUNK + 100);
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(plain), plain.length, null, null, null);
    Attachment a = received(u);
    byte[] s = server.stored.get(u.id());
    server.stored.put(u.id(), java.util.Arrays.copyOf(s, 2 * FileCrypto.PIECE));
    FileVerificationException e = assertThrows(FileVerificationException.class,
        () -> files.download(a, new ByteArrayOutputStream(), null));
    assertEquals(Failure.TRUNCATED, e.failure());
  }

  @Test
  void anEtagOtherThanTheDescriptorsShaIsRefusedBeforeReading() {
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(bytes(10)), 10, null, null, null);
    Attachment a = received(u);
    server.etags.put(u.id(), "0".repeat(64));
    FileVerificationException e = assertThrows(FileVerificationException.class,
        () -> files.download(a, new ByteArrayOutputStream(), null));
    assertEquals(Failure.SHA256, e.failure());
  }

  @Test
  void aServerFileObjectOtherThanTheDescriptorIsRefusedWithoutDownloading() {
    FileUpload u = files.upload(ROOM, true, new ByteArrayInputStream(bytes(10)), 10, null, null, null);
    JsonArray serverFiles = new JsonArray().add(new JsonObject().put("id", u.id()).put("sha256", "1".repeat(64)));
    Attachment a = FileDescriptors.encrypted(FileDescriptors.descriptors(List.of(u)), serverFiles).get(0);
    FileVerificationException e = assertThrows(FileVerificationException.class,
        () -> files.download(a, new ByteArrayOutputStream(), null));
    assertEquals(Failure.SHA256, e.failure());
    assertEquals(0, server.downloads());
  }

  @Test
  void anAlteredOrCutPlainFileIsRefused() {
    byte[] plain = bytes(5000);
    FileUpload u = files.upload(ROOM, false, new ByteArrayInputStream(plain), plain.length, null, null, null);
    Attachment a = received(u);
    server.stored.get(u.id())[4999] ^= 1;
    server.etags.remove(u.id());
    assertEquals(Failure.SHA256, assertThrows(FileVerificationException.class,
        () -> files.download(a, new ByteArrayOutputStream(), null)).failure());
    server.stored.put(u.id(), java.util.Arrays.copyOf(plain, 4000));
    assertEquals(Failure.SIZE, assertThrows(FileVerificationException.class,
        () -> files.download(a, dir.resolve("p"), null)).failure());
    assertFalse(Files.exists(dir.resolve("p")));
  }

  @Test
  void anUploadTheServerStoredDifferentlyFails() {
    server.answerWrongSha = true;
    SealroomException e = assertThrows(SealroomException.class,
        () -> files.upload(ROOM, false, new ByteArrayInputStream(bytes(10)), 10, null, null, null));
    assertEquals("file_integrity", e.code());
    SealroomException enc = assertThrows(SealroomException.class,
        () -> files.upload(ROOM, true, new ByteArrayInputStream(bytes(10)), 10, null, null, null));
    assertEquals("file_integrity", enc.code());
  }

  @Test
  void anUnknownFileIsTheServersNotFound() {
    FileUpload u = files.upload(ROOM, false, new ByteArrayInputStream(bytes(10)), 10, null, null, null);
    Attachment a = received(u);
    server.stored.remove(u.id());
    SealroomException e = assertThrows(SealroomException.class, () -> files.download(a, new ByteArrayOutputStream(), null));
    assertEquals("not_found", e.code());
    assertEquals(404, e.status());
  }

  @Test
  void namesAndTypesAreCheckedAsTheServerDoes() {
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkName("a/b"));
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkName("a\nb"));
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkName(""));
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkName("x".repeat(256)));
    FileTransfers.checkName("Straße 1.pdf");
    assertEquals("image/svg+xml", FileTransfers.checkType("image/SVG+xml"));
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkType("image"));
    assertThrows(IllegalArgumentException.class, () -> FileTransfers.checkType("image/png; q=1"));
    assertNotNull(FileTransfers.checkType("application/vnd.ms-excel"));
  }
}
