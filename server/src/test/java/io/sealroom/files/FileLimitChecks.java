package io.sealroom.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.FileApi;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * files.maxBytes, files.quotaBytes and files.orphanTtlSeconds, checked while the body streams
 * (over a raw socket, so that the test sees the answer arrive while it is still sending), and
 * the progress deadline of uploads.
 */
abstract class FileLimitChecks {
  static final int MAX = 1_000_000;
  static final int QUOTA = 3_000_000;

  abstract NodeExtension node();

  /** How many stored blobs (files or GridFS chunks) the engine holds now. */
  abstract long blobCount() throws Exception;

  Api api() {
    return node().api();
  }

  FileApi files() {
    return new FileApi(node()::baseUrl);
  }

  /** The limits every engine's node is started with. */
  static NodeExtension.Builder limited() {
    return NodeExtension.builder().config("files.maxBytes", MAX).config("files.quotaBytes", QUOTA)
        .config("files.orphanTtlSeconds", 4).config("http.requestTimeoutMs", 1500);
  }

  /** What a raw upload saw: the status line and body, and how many bytes it had sent when the answer came. */
  record Raw(String status, String body, long sentBeforeAnswer) {
  }

  /**
   * Sends a chunked upload of endless bytes (or of {@code total}), 16 KiB at a time, pausing
   * {@code pauseMs} between chunks, and reads the answer as it comes.
   */
  Raw rawUpload(String token, String rid, long total, long pauseMs) throws Exception {
    try (Socket s = new Socket("127.0.0.1", node().port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/rooms/" + rid + "/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      long[] sent = {0};
      AtomicReference<Long> atAnswer = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        byte[] chunk = new byte[16 * 1024];
        try {
          while (total < 0 || sent[0] < total) {
            int n = (int) (total < 0 ? chunk.length : Math.min(chunk.length, total - sent[0]));
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk, 0, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sent[0] += n;
            if (pauseMs > 0) {
              Thread.sleep(pauseMs);
            }
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception e) {
          // the server answered and closed
        }
      });
      writer.setDaemon(true);
      writer.start();
      StringBuilder head = new StringBuilder();
      int b;
      while ((b = in.read()) != -1) {
        if (atAnswer.get() == null) {
          atAnswer.set(sent[0]);
        }
        head.append((char) b);
        if (head.toString().endsWith("\r\n\r\n")) {
          break;
        }
      }
      String headers = head.toString();
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      writer.interrupt();
      return new Raw(headers.split("\r\n")[0], new String(body, StandardCharsets.UTF_8),
          atAnswer.get() == null ? -1 : atAnswer.get());
    }
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedAtOnce() {
    Api.User u = api().newUser("declared");
    String rid = api().createRoom(u, "p", "declared", List.of());
    FileApi.Res r = files().upload(u.token(), rid, new byte[MAX + 1], null, null);
    assertEquals(413, r.status());
    assertEquals("too_large", r.errorCode());
    assertEquals(201, files().upload(u.token(), rid, new byte[MAX], null, null).status(), "exactly the limit passes");
  }

  @Test
  void anEndlessUploadIsRefusedWhileItStreamsAndNothingIsKept() throws Exception {
    Api.User u = api().newUser("endless");
    String rid = api().createRoom(u, "p", "endless", List.of());
    long before = blobCount();
    Raw r = rawUpload(u.token(), rid, -1, 0);
    assertTrue(r.status().contains(" 413 "), r.status());
    assertTrue(r.body().contains("\"too_large\""), r.body());
    assertTrue(r.sentBeforeAnswer() < 16L * MAX, "answered while streaming, after " + r.sentBeforeAnswer());
    Thread.sleep(300);
    long after = blobCount();
    assertTrue(after <= before, "nothing of the refused upload kept (the sweep may remove others meanwhile): " + before + " then " + after);
    // nothing counted: the whole quota is still there
    for (int i = 0; i < 3; i++) {
      assertEquals(201, files().upload(u.token(), rid, new byte[MAX], null, null).status());
    }
  }

  @Test
  void theQuotaCountsStoredFilesAndIsCheckedWhileStreaming() throws Exception {
    Api.User u = api().newUser("quota");
    String rid = api().createRoom(u, "p", "quota", List.of());
    String first = null;
    for (int i = 0; i < 3; i++) {
      FileApi.Res r = files().upload(u.token(), rid, new byte[MAX], null, null);
      assertEquals(201, r.status());
      first = first == null ? r.file().getString("id") : first;
    }
    FileApi.Res declared = files().upload(u.token(), rid, new byte[1], null, null);
    assertEquals(413, declared.status());
    assertEquals("quota_exceeded", declared.errorCode());
    Raw streamed = rawUpload(u.token(), rid, 500_000, 0);
    assertTrue(streamed.status().contains(" 413 "), streamed.status());
    assertTrue(streamed.body().contains("\"quota_exceeded\""), streamed.body());
    assertEquals(204, files().delete(u.token(), first).status());
    Raw again = rawUpload(u.token(), rid, 500_000, 0);
    assertTrue(again.status().contains(" 201 "), "a deleted file frees its bytes: " + again.status());
  }

  @Test
  void uploadsUnderWayCountAgainstTheQuotaToo() throws Exception {
    Api.User u = api().newUser("parallel");
    String rid = api().createRoom(u, "p", "parallel", List.of());
    List<java.util.concurrent.CompletableFuture<FileApi.Res>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> files().upload(u.token(), rid, new byte[900_000], null, null)));
    }
    List<FileApi.Res> results = all.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertEquals(3, results.stream().filter(r -> r.status() == 201).count(), "3 x 900,000 fit in 3,000,000");
    assertEquals(2, results.stream().filter(r -> "quota_exceeded".equals(r.errorCode())).count());
    // chunked uploads at once never take the user past the quota (some may all be refused)
    Api.User v = api().newUser("parallel2");
    String rid2 = api().createRoom(v, "p", "parallel2", List.of());
    List<java.util.concurrent.CompletableFuture<Raw>> raw = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      raw.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return rawUpload(v.token(), rid2, 900_000, 2);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    long stored = raw.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.status().contains(" 201 ")).count();
    assertTrue(stored <= 3, stored + " stored");
    for (long i = stored; i < 3; i++) {
      assertEquals(201, files().upload(v.token(), rid2, new byte[900_000], null, null).status());
    }
    assertEquals("quota_exceeded", files().upload(v.token(), rid2, new byte[900_000], null, null).errorCode());
  }

  @Test
  void aSlowButMovingUploadOutlivesTheRequestDeadlineAndAStalledOneDoesNot() throws Exception {
    Api.User u = api().newUser("slow");
    String rid = api().createRoom(u, "p", "slow", List.of());
    // 16 KiB every 100 ms: about 4 s in all, well past http.requestTimeoutMs (1.5 s)
    Raw moving = rawUpload(u.token(), rid, 40 * 16 * 1024, 100);
    assertTrue(moving.status().contains(" 201 "), moving.status() + " " + moving.body());
    Raw stalled = rawUpload(u.token(), rid, 16 * 1024 * 4, 4000);
    assertTrue(stalled.status().contains(" 408 "), stalled.status());
  }

  @Test
  void uploadsNeverAttachedAreCollectedAndAttachedOnesStay() throws Exception {
    Api.User u = api().newUser("orphan");
    String rid = api().createRoom(u, "p", "orphan", List.of());
    String orphan = files().upload(u.token(), rid, new byte[MAX], null, null).file().getString("id");
    String kept = files().upload(u.token(), rid, new byte[MAX], null, null).file().getString("id");
    Api.Res sent = api().post("/api/v1/rooms/" + rid + "/messages", u.token(),
        new JsonObject().put("cid", "k-1").put("files", new JsonArray().add(kept)));
    assertEquals(201, sent.status());
    long deadline = System.currentTimeMillis() + 10_000;
    while (files().download(u.token(), orphan).status() != 404 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(404, files().download(u.token(), orphan).status(), "collected after files.orphanTtlSeconds");
    assertEquals(200, files().download(u.token(), kept).status());
    // its bytes no longer count: two more fit beside the kept one
    assertEquals(201, files().upload(u.token(), rid, new byte[MAX], null, null).status());
    assertEquals(201, files().upload(u.token(), rid, new byte[MAX], null, null).status());
  }

  @Test
  void aClientThatGoesRightAfterItsHeadersLeavesNothingReserved() throws Exception {
    Api.User u = api().newUser("gone");
    String rid = api().createRoom(u, "p", "gone", List.of());
    for (int i = 0; i < 5; i++) {
      try (Socket s = new Socket("127.0.0.1", node().port())) {
        s.getOutputStream().write(("POST /api/v1/rooms/" + rid + "/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + u.token() + "\r\nContent-Length: " + (QUOTA - 1000) + "\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      } // closed at once, long before the body
    }
    // had any of them kept its reservation, the quota would be taken for good
    long deadline = System.currentTimeMillis() + 10_000;
    FileApi.Res r = files().upload(u.token(), rid, new byte[MAX], null, null);
    while (r.status() != 201 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      r = files().upload(u.token(), rid, new byte[MAX], null, null);
    }
    assertEquals(201, r.status(), r.errorCode());
    assertEquals(201, files().upload(u.token(), rid, new byte[MAX], null, null).status());
  }
}
