package io.sealroom.web;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser tests' own writer of the chunked file format (docs/protocol.md "Encrypted
 * files"), with the JDK's AES-GCM: a sender independent of the page, which can also write what
 * no honest client would (a flipped bit, a missing chunk). Uploads and downloads go over raw
 * HTTP with a user's token.
 */
final class SealedFiles {
  static final int CHUNK = 65536;
  static final int TAG = 16;
  static final int SEALED = CHUNK + TAG;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private SealedFiles() {
  }

  /** A sealed file: its key, prefix and upload, and the plaintext's size. */
  record Sealed(byte[] key, byte[] prefix, byte[] upload, long size) {
    /** The descriptor of docs/protocol.md for this upload under a file id, whatever bytes were really uploaded. */
    JsonObject descriptor(String id, String name, String type) {
      return new JsonObject().put("id", id).put("name", name).put("type", type).put("size", size)
          .put("key", b64(key)).put("prefix", b64(prefix)).put("chunk", CHUNK).put("sha256", sha256(upload));
    }

    Sealed withUpload(byte[] other) {
      return new Sealed(key, prefix, other, size);
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Seals a plaintext with a fresh key and prefix, max(1, ceil(size / 65536)) chunks. */
  static Sealed seal(byte[] plain) {
    byte[] key = random(32);
    byte[] prefix = random(8);
    int n = Math.max(1, (plain.length + CHUNK - 1) / CHUNK);
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + n * TAG);
    try {
      for (int i = 0; i < n; i++) {
        boolean last = i == n - 1;
        byte[] nonce = ByteBuffer.allocate(12).put(prefix).putInt(i).array();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(("sealroom-file|" + i + "|" + (last ? 1 : 0)).getBytes(StandardCharsets.UTF_8));
        int from = i * CHUNK;
        out.write(c.doFinal(plain, from, Math.min(CHUNK, plain.length - from)));
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
    return new Sealed(key, prefix, out.toByteArray(), plain.length);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** POST /api/v1/rooms/{rid}/files (query: "" or "?name=..&type=.."); the server's file object. */
  static JsonObject upload(String baseUrl, String token, String rid, byte[] body, String query) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/rooms/" + rid + "/files" + query))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getJsonObject("file");
  }

  /** GET /api/v1/files/{fid}: the stored bytes (an assertion error for anything but 200). */
  static byte[] download(String baseUrl, String token, String fid) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/files/" + fid))
        .header("Authorization", "Bearer " + token).GET(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new AssertionError("download answered " + r.statusCode());
    }
    return r.body();
  }

  private static <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
