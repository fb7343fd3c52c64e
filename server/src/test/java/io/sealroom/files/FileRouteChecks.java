package io.sealroom.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.FileApi;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Uploads, downloads, headers, access and attachments (docs/protocol.md, "Files"), on the engine
 * of the subclass's node ({@link FilesIT}: embedded, {@link MongoFilesIT}: MongoDB with GridFS).
 */
abstract class FileRouteChecks {
  abstract NodeExtension node();

  Api api() {
    return node().api();
  }

  FileApi files() {
    return new FileApi(node()::baseUrl);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void anUploadRoundTripsWithItsSha256() {
    Api.User u = api().newUser("up");
    String rid = api().createRoom(u, "p", "files", List.of());
    byte[] bytes = random(300_000, 1);
    FileApi.Res up = files().upload(u.token(), rid, bytes, "report 1.pdf", "Application/PDF");
    assertEquals(201, up.status(), new String(up.body()));
    JsonObject f = up.file();
    assertEquals(rid, f.getString("room"));
    assertEquals(bytes.length, f.getLong("size"));
    assertEquals(FileApi.sha256(bytes), f.getString("sha256"));
    assertEquals("report 1.pdf", f.getString("name"));
    assertEquals("application/pdf", f.getString("type"));
    assertTrue(f.getString("id").matches("[A-Za-z0-9]{20}"));
    FileApi.Res down = files().download(u.token(), f.getString("id"));
    assertEquals(200, down.status());
    assertArrayEquals(bytes, down.body());
    assertEquals(FileApi.sha256(bytes), FileApi.sha256(down.body()));
    assertEquals("application/octet-stream", down.header("Content-Type"));
    assertEquals("attachment; filename*=UTF-8''report%201.pdf", down.header("Content-Disposition"));
    assertEquals("nosniff", down.header("X-Content-Type-Options"));
    assertEquals("default-src 'none'; sandbox", down.header("Content-Security-Policy"));
    assertEquals("\"" + FileApi.sha256(bytes) + "\"", down.header("ETag"));
    assertEquals("bytes", down.header("Accept-Ranges"));
    assertEquals(String.valueOf(bytes.length), down.header("Content-Length"));
    assertTrue(gaugeReaches("sealroom_file_uploads_total", 1));
    assertTrue(gaugeReaches("sealroom_file_upload_bytes_total", bytes.length));
    assertTrue(gaugeReaches("sealroom_file_download_bytes_total", bytes.length));
    assertTrue(gaugeReaches("sealroom_files_stored_bytes", bytes.length));
  }

  /** Whether the meter reads at least the value within 5 s (meters are updated after the answer). */
  boolean gaugeReaches(String name, double atLeast) {
    long deadline = System.currentTimeMillis() + 5000;
    while (api().gauge(name) < atLeast) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Test
  void aChunkedUploadWithoutLengthIsStoredWhole() {
    Api.User u = api().newUser("chunked");
    String rid = api().createRoom(u, "p", "chunked", List.of());
    byte[] bytes = random(1_000_003, 2);
    FileApi.Res up = files().uploadStream(u.token(), rid, () -> new java.io.ByteArrayInputStream(bytes), null, null);
    assertEquals(201, up.status(), new String(up.body()));
    assertNull(up.file().getString("name"));
    assertArrayEquals(bytes, files().download(u.token(), up.file().getString("id")).body());
  }

  @Test
  void anEmptyFileIsAFile() {
    Api.User u = api().newUser("empty");
    String rid = api().createRoom(u, "p", "empty", List.of());
    FileApi.Res up = files().upload(u.token(), rid, new byte[0], "empty.txt", "text/plain");
    assertEquals(201, up.status());
    assertEquals(0, up.file().getLong("size"));
    FileApi.Res down = files().download(u.token(), up.file().getString("id"));
    assertEquals(200, down.status());
    assertEquals(0, down.body().length);
  }

  @Test
  void rangesETagsAndHead() {
    Api.User u = api().newUser("range");
    String rid = api().createRoom(u, "p", "range", List.of());
    byte[] bytes = random(200_000, 3);
    String fid = files().upload(u.token(), rid, bytes, "r.bin", null).file().getString("id");
    FileApi.Res part = files().download(u.token(), fid, "Range", "bytes=100-199");
    assertEquals(206, part.status());
    assertEquals("bytes 100-199/200000", part.header("Content-Range"));
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100, 200), part.body());
    FileApi.Res open = files().download(u.token(), fid, "Range", "bytes=199990-");
    assertEquals(206, open.status());
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 199_990, 200_000), open.body());
    FileApi.Res suffix = files().download(u.token(), fid, "Range", "bytes=-5");
    assertEquals("bytes 199995-199999/200000", suffix.header("Content-Range"));
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 199_995, 200_000), suffix.body());
    FileApi.Res past = files().download(u.token(), fid, "Range", "bytes=200000-");
    assertEquals(416, past.status());
    assertEquals("bytes */200000", past.header("Content-Range"));
    FileApi.Res clamped = files().download(u.token(), fid, "Range", "bytes=199000-999999");
    assertEquals("bytes 199000-199999/200000", clamped.header("Content-Range"));
    FileApi.Res several = files().download(u.token(), fid, "Range", "bytes=0-1,5-6");
    assertEquals(200, several.status());
    assertEquals(200_000, several.body().length);
    String etag = several.header("ETag");
    assertEquals(304, files().download(u.token(), fid, "If-None-Match", etag).status());
    FileApi.Res staleIfRange = files().download(u.token(), fid, "Range", "bytes=0-9", "If-Range", "\"other\"");
    assertEquals(200, staleIfRange.status());
    assertEquals(206, files().download(u.token(), fid, "Range", "bytes=0-9", "If-Range", etag).status());
    FileApi.Res head = files().head(u.token(), fid);
    assertEquals(200, head.status());
    assertEquals("200000", head.header("Content-Length"));
    assertEquals(0, head.body().length);
  }

  @Test
  void aPlainRoomsImageIsInlineAndOthersAreAttachments() {
    Api.User u = api().newUser("img");
    String rid = api().createRoom(u, "p", "img", List.of());
    String png = files().upload(u.token(), rid, random(100, 4), "a.png", "image/png").file().getString("id");
    FileApi.Res r = files().download(u.token(), png);
    assertEquals("image/png", r.header("Content-Type"));
    assertEquals("inline", r.header("Content-Disposition"));
    String svg = files().upload(u.token(), rid, "<svg onload=alert(1)>".getBytes(), "x.svg", "image/svg+xml")
        .file().getString("id");
    FileApi.Res s = files().download(u.token(), svg);
    assertEquals("application/octet-stream", s.header("Content-Type"));
    assertTrue(s.header("Content-Disposition").startsWith("attachment"));
  }

  @Test
  void onlyCurrentMembersReadAndEveryoneElseGetsNotFound() {
    Api.User owner = api().newUser("own");
    Api.User member = api().newUser("mem");
    Api.User stranger = api().newUser("str");
    String rid = api().createRoom(owner, "p", "members", List.of(member.username()));
    byte[] bytes = random(1000, 5);
    String fid = files().upload(owner.token(), rid, bytes, "m.bin", null).file().getString("id");
    // not attached yet: only its uploader
    assertEquals(404, files().download(member.token(), fid).status());
    attach(owner, rid, "m-1", fid);
    assertEquals(200, files().download(member.token(), fid).status());
    FileApi.Res strangers = files().download(stranger.token(), fid);
    assertEquals(404, strangers.status());
    assertEquals("not_found", strangers.errorCode());
    FileApi.Res unknown = files().download(stranger.token(), "AAAAAAAAAAAAAAAAAAAA");
    assertEquals(404, unknown.status());
    assertEquals(new String(unknown.body()).replace("AAAAAAAAAAAAAAAAAAAA", ""),
        new String(strangers.body()).replace(fid, ""), "the same answer for a file that exists");
    assertEquals(401, files().download(null, fid).status(), "anonymous: unauthorized before anything");
    assertEquals(200, api().delete("/api/v1/rooms/" + rid + "/members/" + member.id(), owner.token()).status());
    assertEquals(404, files().download(member.token(), fid).status(), "removed: no access at once");
    assertEquals(404, files().head(member.token(), fid).status());
  }

  @Test
  void uploadsNeedMembershipAndEncryptedRoomsRefuseNamesAndTypes() {
    Api.User owner = api().newUser("encup");
    Api.User stranger = api().newUser("encstr");
    String rid = api().createRoom(owner, "p", "plain", List.of());
    FileApi.Res r = files().upload(stranger.token(), rid, new byte[10], null, null);
    assertEquals(404, r.status());
    assertEquals("not_found", r.errorCode());
    assertEquals(400, files().upload(owner.token(), rid, new byte[1], "a/b", null).status());
    assertEquals(400, files().upload(owner.token(), rid, new byte[1], "a\u0001", null).status());
    assertEquals(400, files().upload(owner.token(), rid, new byte[1], null, "notatype").status());
    Api.User keyed = api().newUserWithKeys("enckeys", 600_000);
    JsonObject room = api().post("/api/v1/rooms", keyed.token(), new JsonObject().put("type", "p").put("name", "enc")
        .put("encrypted", true)).json();
    String enc = room.getString("id");
    FileApi.Res named = files().upload(keyed.token(), enc, new byte[20], "secret.txt", null);
    assertEquals(400, named.status());
    assertEquals("name", named.json().getJsonObject("error").getString("field"));
    FileApi.Res typed = files().upload(keyed.token(), enc, new byte[20], null, "text/plain");
    assertEquals("type", typed.json().getJsonObject("error").getString("field"));
    FileApi.Res bare = files().upload(keyed.token(), enc, new byte[20], null, null);
    assertEquals(201, bare.status());
    assertFalse(bare.file().containsKey("name"));
  }

  JsonObject attach(Api.User u, String rid, String cid, String... fids) {
    Api.Res r = api().post("/api/v1/rooms/" + rid + "/messages", u.token(),
        new JsonObject().put("cid", cid).put("files", new JsonArray(List.of((Object[]) fids))));
    assertEquals(201, r.status(), r.raw());
    return r.json();
  }

  @Test
  void messagesCarryTheirFilesLiveInHistoryAndOnReplay() throws Exception {
    Api.User u = api().newUser("msgf");
    String rid = api().createRoom(u, "p", "msgf", List.of());
    byte[] a = random(10, 6);
    JsonObject fa = files().upload(u.token(), rid, a, "a.txt", "text/plain").file();
    JsonObject fb = files().upload(u.token(), rid, random(20, 7), "b.png", "image/png").file();
    try (WsClient ws = WsClient.authed(node(), u)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid));
      ws.awaitOp("subbed", 5);
      ws.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "w-1").put("text", "two files")
          .put("files", new JsonArray().add(fb.getString("id")).add(fa.getString("id"))));
      JsonObject msg = ws.awaitOp("msg", 5);
      assertEquals("two files", msg.getString("text"));
      JsonArray fs = msg.getJsonArray("files");
      assertEquals(2, fs.size());
      assertEquals(fb, fs.getJsonObject(0));
      assertEquals(fa, fs.getJsonObject(1));
    }
    attach(u, rid, "r-1", files().upload(u.token(), rid, random(5, 8), null, null).file().getString("id"));
    JsonArray all = api().get("/api/v1/rooms/" + rid + "/messages", u.token()).json().getJsonArray("messages");
    JsonArray history = new JsonArray();
    all.stream().map(JsonObject.class::cast).filter(m -> !m.containsKey("event")).forEach(history::add);
    assertEquals(2, history.size());
    assertEquals(fa, history.getJsonObject(0).getJsonArray("files").getJsonObject(1));
    JsonObject onlyFiles = history.getJsonObject(1);
    assertFalse(onlyFiles.containsKey("text"), "a message may be only its files");
    assertEquals(1, onlyFiles.getJsonArray("files").size());
    try (WsClient ws = WsClient.authed(node(), u)) {
      ws.send(new JsonObject().put("op", "sub").put("room", rid).put("since", 0));
      JsonObject replayed = ws.await(f -> "msg".equals(f.getString("op")) && "w-1".equals(f.getString("cid")), 5);
      assertEquals(fb, replayed.getJsonArray("files").getJsonObject(0));
    }
  }

  @Test
  void attachRules() {
    Api.User u = api().newUser("rules");
    Api.User other = api().newUser("rules2");
    String rid = api().createRoom(u, "p", "rules", List.of(other.username()));
    String rid2 = api().createRoom(u, "p", "rules-b", List.of());
    String mine = files().upload(u.token(), rid, new byte[3], null, null).file().getString("id");
    String theirs = files().upload(other.token(), rid, new byte[3], null, null).file().getString("id");
    String elsewhere = files().upload(u.token(), rid2, new byte[3], null, null).file().getString("id");
    assertEquals("files", refused(u, rid, "x-1", theirs), "someone else's file");
    assertEquals("files", refused(u, rid, "x-2", elsewhere), "another room's file");
    assertEquals("files", refused(u, rid, "x-3", "AAAAAAAAAAAAAAAAAAAA"), "no such file");
    assertEquals("files", refused(u, rid, "x-4", mine, mine), "twice in one message");
    assertEquals("files", refused(u, rid, "x-5", "not-an-id"));
    String[] eleven = new String[11];
    for (int i = 0; i < 11; i++) {
      eleven[i] = files().upload(u.token(), rid, new byte[1], null, null).file().getString("id");
    }
    assertEquals("files", refused(u, rid, "x-6", eleven), "at most 10");
    JsonObject ack = attach(u, rid, "x-7", java.util.Arrays.copyOf(eleven, 10));
    assertEquals(ack.getLong("seq"), attach(u, rid, "x-7", java.util.Arrays.copyOf(eleven, 10)).getLong("seq"),
        "a retry of the cid is the same message");
    attach(u, rid, "x-8", mine);
    assertEquals("files", refused(u, rid, "x-9", mine), "attached already");
    assertEquals(404, files().delete(u.token(), mine).status(), "an attached file is not deleted");
    assertEquals(200, files().download(u.token(), mine).status());
  }

  private String refused(Api.User u, String rid, String cid, String... fids) {
    Api.Res r = api().post("/api/v1/rooms/" + rid + "/messages", u.token(),
        new JsonObject().put("cid", cid).put("text", "t").put("files", new JsonArray(List.of((Object[]) fids))));
    assertEquals(400, r.status(), r.raw());
    assertEquals("invalid_request", r.errorCode());
    return r.json().getJsonObject("error").getString("field");
  }

  @Test
  void anUnattachedUploadCanBeDeletedByItsUploaderOnly() {
    Api.User u = api().newUser("del");
    Api.User other = api().newUser("del2");
    String rid = api().createRoom(u, "p", "del", List.of(other.username()));
    String fid = files().upload(u.token(), rid, new byte[50], null, null).file().getString("id");
    assertEquals(404, files().delete(other.token(), fid).status());
    assertEquals(204, files().delete(u.token(), fid).status());
    assertEquals(404, files().download(u.token(), fid).status());
    assertEquals(404, files().delete(u.token(), fid).status());
  }

  @Test
  void aSendRefusedAfterItsClaimGivesItsFilesBack() {
    Api.User u = api().newUserWithKeys("claim", 600_000);
    String rid = api().createRoom(u, "p", "was plain", List.of());
    String named = files().upload(u.token(), rid, new byte[30], "plans.txt", "text/plain").file().getString("id");
    assertEquals(200, api().patch("/api/v1/rooms/" + rid, u.token(), new JsonObject().put("encrypted", true)).status());
    String kid = io.sealroom.testing.E2eShapes.kid();
    assertEquals(200, api().post("/api/v1/rooms/" + rid + "/e2e/key-id", u.token(),
        new JsonObject().put("kid", kid).put("key", io.sealroom.testing.E2eShapes.memberKey(kid))).status());
    JsonObject e2e = new JsonObject().put("kid", kid)
        .put("iv", io.sealroom.testing.E2eShapes.b64(io.sealroom.testing.E2eShapes.random(12)))
        .put("ct", io.sealroom.testing.E2eShapes.b64(io.sealroom.testing.E2eShapes.random(64)));
    Api.Res r = api().post("/api/v1/rooms/" + rid + "/messages", u.token(),
        new JsonObject().put("cid", "n-1").put("e2e", e2e).put("files", new JsonArray().add(named)));
    assertEquals(400, r.status(), r.raw());
    assertEquals("files", r.json().getJsonObject("error").getString("field"), "its name would show in an encrypted room");
    assertEquals(204, files().delete(u.token(), named).status(), "no longer claimed: its uploader may delete it");
  }

  @Test
  void aFileClaimedByASendInFlightCannotBeDeletedUnderIt() {
    Api.User u = api().newUser("inflight");
    String rid = api().createRoom(u, "p", "inflight", List.of());
    String fid = files().upload(u.token(), rid, new byte[30], null, null).file().getString("id");
    attach(u, rid, "i-1", fid);
    assertEquals(404, files().delete(u.token(), fid).status());
    assertEquals(200, files().download(u.token(), fid).status());
  }
}
