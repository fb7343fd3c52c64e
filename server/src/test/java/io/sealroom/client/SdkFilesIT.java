package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.FileCrypto;
import io.sealroom.client.crypto.FileIntegrityException.Failure;
import io.sealroom.client.crypto.FileKey;
import io.sealroom.client.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Files through the SDK against a node: plain and encrypted round trips, tampered uploads, access. */
class SdkFilesIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  @TempDir
  Path dir;

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha(byte[] b) {
    return FileCrypto.hex(FileCrypto.sha256().digest(b));
  }

  /** The bytes the server stores for a file, read with the user's own token. */
  private static byte[] stored(String username, String fid) throws Exception {
    HttpResponse<byte[]> res = raw(username, HttpRequest.newBuilder(URI.create(users.url() + "/api/v1/files/" + fid))
        .GET(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, res.statusCode());
    return res.body();
  }

  /** Uploads bytes as they are (no SDK), as the user; the server's file object. */
  private static JsonObject rawUpload(String username, String rid, byte[] body) throws Exception {
    HttpResponse<String> res = raw(username, HttpRequest.newBuilder(URI.create(users.url() + "/api/v1/rooms/" + rid
        + "/files")).POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, res.statusCode(), res.body());
    return new JsonObject(res.body()).getJsonObject("file");
  }

  private static <T> HttpResponse<T> raw(String username, HttpRequest.Builder b, HttpResponse.BodyHandler<T> h)
      throws IOException, InterruptedException {
    String token = users.node.api().login(username, SdkUsers.password(username)).json().getString("token");
    return HttpClient.newHttpClient().send(b.header("Authorization", "Bearer " + token).build(), h);
  }

  @Test
  void aPlainRoomsFileMakesTheRoundTripWithItsNameTypeAndSha256() throws Exception {
    SealroomClient alice = users.newClient("alice");
    SealroomClient bob = users.newClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("plain files", bob.user().username()).encrypted(false));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), inbox);
    byte[] content = bytes(3 * FileCrypto.CHUNK + 123, 1);
    Path file = dir.resolve("report.bin");
    Files.write(file, content);
    alice.sendFile(room.id(), file, "the report");

    ChatMessage m = inbox.nextMessage();
    assertEquals("the report", m.text());
    assertEquals(1, m.files().size());
    Attachment a = m.files().get(0);
    assertEquals("report.bin", a.name());
    assertEquals(content.length, a.size());
    assertEquals(sha(content), a.storedSha256());
    assertFalse(a.encrypted());
    Path target = dir.resolve("got.bin");
    Downloaded d = bob.download(a, target);
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(new Downloaded(content.length, sha(content)), d);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(d, bob.download(a, out));
    assertArrayEquals(content, out.toByteArray());
  }

  @Test
  void aPlainRoomTakesFilesWithoutTextAndTypesFromTheCaller() throws Exception {
    SealroomClient alice = users.newClient("alice");
    Room room = alice.createRoom(NewRoom.privateGroup("no text").encrypted(false));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    alice.subscribe(room.id(), inbox);
    FileUpload a = alice.upload(room.id(), new ByteArrayInputStream("hello world".getBytes(StandardCharsets.UTF_8)),
        "notes.txt", "text/plain");
    FileUpload b = alice.upload(room.id(), new ByteArrayInputStream(new byte[0]), null, null);
    alice.send(room.id(), null, List.of(a, b));
    ChatMessage m = inbox.nextMessage();
    assertEquals(ChatMessage.State.NO_TEXT, m.state());
    assertEquals(List.of(a.id(), b.id()), m.files().stream().map(Attachment::id).toList());
    assertEquals("text/plain", m.files().get(0).type());
    assertEquals("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", m.files().get(0).storedSha256());
    assertNull(m.files().get(1).name());
    assertEquals(new Downloaded(0, sha(new byte[0])), alice.download(m.files().get(1), java.io.OutputStream.nullOutputStream()));
  }

  @Test
  void anEncryptedRoomsFileIsCiphertextOnTheServerAndComesBackChecked() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("sealed files", bob.user().username()).encrypted(true));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), inbox);
    byte[] marker = "SEALROOM-PLAINTEXT-MARKER ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    byte[] other = bytes(2 * FileCrypto.CHUNK, 2);
    Path file = dir.resolve("plans.txt");
    Files.write(file, marker);
    FileUpload fromPath = alice.upload(room.id(), file);
    FileUpload fromStream = alice.upload(room.id(), new ByteArrayInputStream(other), "exact.bin", "application/octet-stream");
    byte[] preview = bytes(5012, 7);
    FileUpload thumb = alice.upload(room.id(), new ByteArrayInputStream(preview), null, "image/jpeg");
    alice.send(room.id(), "the plans", List.of(fromPath, fromStream.withThumbnail(thumb, 32, 16)));

    ChatMessage m = inbox.nextMessage();
    assertTrue(m.encrypted() && m.verified());
    assertEquals("the plans", m.text());
    Attachment a = m.files().get(0);
    Attachment b = m.files().get(1);
    assertTrue(a.encrypted());
    assertEquals("plans.txt", a.name());
    assertEquals(marker.length, a.size());
    assertEquals("exact.bin", b.name());
    assertEquals(other.length, b.size());
    assertEquals(a.storedSha256(), a.serverSha256(), "the msg carries the server's file objects too");
    assertEquals(32, b.thumbnail().width());
    assertEquals(16, b.thumbnail().height());
    assertEquals("image/jpeg", b.thumbnail().type());
    assertEquals(sha(preview), bob.download(b.thumbnail(), java.io.OutputStream.nullOutputStream()).sha256());

    byte[] onServer = stored(bob.user().username(), a.id());
    assertEquals(FileCrypto.sealedSize(marker.length), onServer.length);
    assertEquals(sha(onServer), a.storedSha256());
    assertFalse(new String(onServer, StandardCharsets.ISO_8859_1).contains("SEALROOM-PLAINTEXT"));

    Path target = dir.resolve("plans-got.txt");
    assertEquals(new Downloaded(marker.length, sha(marker)), bob.download(a, target));
    assertArrayEquals(marker, Files.readAllBytes(target));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] last = new long[2];
    assertEquals(sha(other), bob.download(b, out, (done, total) -> {
      last[0] = done;
      last[1] = total;
    }).sha256());
    assertArrayEquals(other, out.toByteArray());
    assertArrayEquals(new long[] {other.length, other.length}, last);
  }

  @Test
  void aTamperedOrTruncatedStoredFileIsDetectedAndNotKept() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("tampered", bob.user().username()).encrypted(true));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), inbox);
    // a malicious sender (or server) stores bytes the descriptor's key never sealed ...
    byte[] garbage = bytes(100_000, 3);
    JsonObject g = rawUpload(alice.user().username(), room.id(), garbage);
    FileUpload claimed = new FileUpload(room.id(), g.getString("id"), "garbage.bin", null, 100_000 - 32,
        garbage.length, sha(garbage), FileKey.generate(), null, 0, 0);
    // ... or the first two chunks of a real three-chunk file, cut at a chunk boundary
    FileKey key = FileKey.generate();
    byte[] plain = bytes(2 * FileCrypto.CHUNK + 500, 4);
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    FileCrypto.encrypt(key, new ByteArrayInputStream(plain), sealed);
    byte[] cut = Arrays.copyOf(sealed.toByteArray(), 2 * FileCrypto.PIECE);
    JsonObject t = rawUpload(alice.user().username(), room.id(), cut);
    FileUpload truncated = new FileUpload(room.id(), t.getString("id"), "cut.bin", null, plain.length, cut.length,
        sha(cut), key, null, 0, 0);
    alice.send(room.id(), null, List.of(claimed, truncated));

    ChatMessage m = inbox.nextMessage();
    Path target = dir.resolve("out.bin");
    FileVerificationException e = assertThrows(FileVerificationException.class, () -> bob.download(m.files().get(0), target));
    assertEquals(Failure.TAG, e.failure());
    assertEquals("file_integrity", e.code());
    FileVerificationException e2 = assertThrows(FileVerificationException.class,
        () -> bob.download(m.files().get(1), target));
    assertEquals(Failure.TRUNCATED, e2.failure(), e2.getMessage());
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "nothing of a refused file is kept");
    }
  }

  @Test
  void aNonMemberAndARemovedMemberCannotDownload() throws Exception {
    SealroomClient alice = users.newClient("alice");
    SealroomClient bob = users.newClient("bob");
    SealroomClient carol = users.newClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("members only", bob.user().username()).encrypted(false));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), inbox);
    alice.send(room.id(), null, List.of(alice.upload(room.id(), new ByteArrayInputStream(bytes(10, 5)), "x", null)));
    Attachment a = inbox.nextMessage().files().get(0);
    assertEquals(10, bob.download(a, java.io.OutputStream.nullOutputStream()).size());
    assertEquals("not_found", assertThrows(SealroomException.class,
        () -> carol.download(a, java.io.OutputStream.nullOutputStream())).code());
    alice.removeMember(room.id(), bob.user().id());
    assertEquals("not_found", assertThrows(SealroomException.class,
        () -> bob.download(a, java.io.OutputStream.nullOutputStream())).code());
  }

  @Test
  void aFileUploadedToOneRoomCannotBeSentToAnother() throws Exception {
    SealroomClient alice = users.newClient("alice");
    Room one = alice.createRoom(NewRoom.privateGroup("one").encrypted(false));
    Room two = alice.createRoom(NewRoom.privateGroup("two").encrypted(false));
    FileUpload u = alice.upload(one.id(), new ByteArrayInputStream(bytes(10, 6)), null, null);
    assertThrows(IllegalArgumentException.class, () -> alice.send(two.id(), "x", List.of(u)));
  }
}
