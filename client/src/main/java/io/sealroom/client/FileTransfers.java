package io.sealroom.client;

import io.sealroom.client.crypto.FileCrypto;
import io.sealroom.client.crypto.FileIntegrityException;
import io.sealroom.client.crypto.FileIntegrityException.Failure;
import io.sealroom.client.crypto.FileKey;
import io.sealroom.client.crypto.SealingInputStream;
import io.sealroom.client.crypto.StagedWrite;
import io.sealroom.client.json.DecodeException;
import io.sealroom.client.json.JsonObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Uploads and downloads of files (docs/protocol.md, "Files"), streaming in both directions:
 * one 64 KiB piece in memory at a time, whatever the file's size. In an encrypted room the
 * upload is sealed while the request body is sent, and a download is opened and checked chunk
 * by chunk ({@link FileCrypto}); in a plain room the bytes go as they are and a download is
 * checked against the SHA-256 and size of the message's file object. Blocks the calling
 * thread, never the engine's. Thread-safe: no state besides the HTTP client.
 */
final class FileTransfers {
  private static final int BUFFER = FileCrypto.CHUNK;
  private static final int MAX_NAME = 255;
  private static final int MAX_TYPE = 127;

  private final HttpClient http;
  private final Rest rest;
  private final Duration timeout;

  FileTransfers(HttpClient http, Rest rest, Duration timeout) {
    this.http = http;
    this.rest = rest;
    this.timeout = timeout;
  }

  /**
   * Uploads {@code in} (read once, not closed) of {@code size} bytes (-1: not known), encrypted
   * when {@code encrypted}, and checks that the server stored exactly what was sent.
   */
  FileUpload upload(String rid, boolean encrypted, InputStream in, long size, String name, String type,
      TransferProgress progress) {
    checkName(name);
    String mediaType = checkType(type);
    Counting source = new Counting(in, size, progress);
    if (!encrypted) {
      JsonObject f = post(rid, source, size, name, mediaType);
      check(f, source.size(), source.sha256());
      return new FileUpload(rid, f.getString("id"), name, mediaType, source.size(), source.size(),
          f.getString("sha256"), null, null, 0, 0);
    }
    FileKey key = FileKey.generate();
    SealingInputStream sealed = FileCrypto.sealing(key, source);
    JsonObject f = post(rid, sealed, size < 0 ? -1 : FileCrypto.sealedSize(size), null, null);
    FileCrypto.Result r = sealed.result();
    check(f, r.sealedSize(), r.sealedSha256());
    return new FileUpload(rid, f.getString("id"), name, mediaType, r.size(), r.sealedSize(), r.sealedSha256(),
        key, null, 0, 0);
  }

  /** The stored file object must describe the bytes sent, else they were changed on the way. */
  private static void check(JsonObject f, long size, String sha256) {
    if (f.getString("id") == null || !Long.valueOf(size).equals(f.getLong("size"))
        || !sha256.equals(f.getString("sha256"))) {
      throw new SealroomException("file_integrity", "the server stored other bytes than were sent");
    }
  }

  private JsonObject post(String rid, InputStream body, long length, String name, String type) {
    StringBuilder path = new StringBuilder("/api/v1/rooms/").append(Rest.enc(rid)).append("/files");
    char sep = '?';
    if (name != null) {
      path.append(sep).append("name=").append(Rest.enc(name));
      sep = '&';
    }
    if (type != null) {
      path.append(sep).append("type=").append(Rest.enc(type));
    }
    HttpRequest.BodyPublisher pub = length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofInputStream(once(body));
    if (length > 0) {
      pub = HttpRequest.BodyPublishers.fromPublisher(pub, length);
    }
    // no overall timeout: a large upload takes as long as it takes (the server times out a stall)
    HttpRequest req = request(path.toString()).header("Content-Type", "application/octet-stream")
        .POST(pub).build();
    HttpResponse<String> res = send(req, HttpResponse.BodyHandlers.ofString(), "upload");
    JsonObject json = json(res.body());
    if (res.statusCode() != 201 && res.statusCode() != 200) {
      throw Rest.error(res.statusCode(), json, "POST " + path);
    }
    return json.getJsonObject("file", new JsonObject());
  }

  /** The body's stream, handed out once: a second read would send other bytes than the first. */
  private static java.util.function.Supplier<InputStream> once(InputStream in) {
    AtomicBoolean given = new AtomicBoolean();
    return () -> {
      if (given.getAndSet(true)) {
        throw new IllegalStateException("an upload body can be sent once");
      }
      return in;
    };
  }

  /** Downloads into {@code out}; see {@link SealroomClient#download(Attachment, OutputStream)}. */
  Downloaded download(Attachment a, OutputStream out, TransferProgress progress) {
    if (a.encrypted() && a.serverSha256() != null && !a.serverSha256().equals(a.storedSha256())) {
      throw new FileVerificationException(new FileIntegrityException(Failure.SHA256,
          "the server's file " + a.id() + " is not the upload the message describes: substituted"));
    }
    try (InputStream in = open(a)) {
      if (a.encrypted()) {
        FileCrypto.Result r = FileCrypto.decrypt(a.key(), a.size(), a.storedSha256(), in, out,
            done -> report(progress, done, a.size()));
        return new Downloaded(r.size(), r.sha256());
      }
      return copyChecked(a, in, out, progress);
    } catch (FileIntegrityException e) {
      throw new FileVerificationException(e);
    } catch (IOException e) {
      throw new SealroomException("io", "download of file " + a.id() + " failed: " + e.getMessage(), e);
    }
  }

  /** Downloads into a file that appears only when every check passed. */
  Downloaded download(Attachment a, Path target, TransferProgress progress) {
    try {
      return StagedWrite.write(target, out -> download(a, out, progress));
    } catch (IOException e) {
      throw new SealroomException("io", "could not write " + target.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private InputStream open(Attachment a) throws IOException {
    String path = "/api/v1/files/" + Rest.enc(a.id());
    HttpRequest req = request(path).timeout(timeout).GET().build();
    HttpResponse<InputStream> res = send(req, HttpResponse.BodyHandlers.ofInputStream(), "download");
    InputStream body = res.body();
    if (res.statusCode() != 200) {
      try (body) {
        byte[] err = body.readNBytes(64 * 1024);
        throw Rest.error(res.statusCode(), json(new String(err, StandardCharsets.UTF_8)), "GET " + path);
      }
    }
    String etag = res.headers().firstValue("ETag").orElse(null);
    if (etag != null && !etag.equals("\"" + a.storedSha256() + "\"")) {
      body.close();
      throw new FileIntegrityException(Failure.SHA256,
          "the server's file " + a.id() + " has another SHA-256 than the message names: substituted");
    }
    return body;
  }

  private static Downloaded copyChecked(Attachment a, InputStream in, OutputStream out, TransferProgress progress)
      throws IOException {
    MessageDigest sha = FileCrypto.sha256();
    byte[] buf = new byte[BUFFER];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
      if (total > a.size()) {
        throw new FileIntegrityException(Failure.SIZE,
            "file " + a.id() + " is longer than the " + a.size() + " bytes its message names");
      }
      sha.update(buf, 0, n);
      out.write(buf, 0, n);
      report(progress, total, a.size());
    }
    if (total != a.size()) {
      throw new FileIntegrityException(Failure.SIZE,
          "file " + a.id() + " is " + total + " bytes, not the " + a.size() + " its message names");
    }
    String actual = FileCrypto.hex(sha.digest());
    if (!actual.equals(a.storedSha256())) {
      throw new FileIntegrityException(Failure.SHA256,
          "file " + a.id() + " has another SHA-256 than its message names: altered or substituted");
    }
    return new Downloaded(total, actual);
  }

  private HttpRequest.Builder request(String path) {
    // HTTP/1.1: a streamed body is sent as it is, never held back for an h2c upgrade
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rest.baseUrl() + path))
        .version(HttpClient.Version.HTTP_1_1);
    String token = rest.token();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) {
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw new SealroomException("io", what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SealroomException("interrupted", what + " interrupted", e);
    }
  }

  private static JsonObject json(String body) {
    try {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static void report(TransferProgress p, long done, long total) {
    if (p != null) {
      p.onProgress(done, total);
    }
  }

  /** Names as the server accepts them: 1 to 255 characters, no control characters, '/' or '\'. */
  static void checkName(String name) {
    if (name == null) {
      return;
    }
    boolean ok = !name.isEmpty() && name.length() <= MAX_NAME;
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = !Character.isISOControl(c) && c != '/' && c != '\\';
    }
    if (!ok) {
      throw new IllegalArgumentException("a file name is 1 to 255 characters, without control characters, / or \\");
    }
  }

  /** A media type as the server accepts it ({@code type/subtype}), in lower case; null stays null. */
  static String checkType(String type) {
    if (type == null) {
      return null;
    }
    int slash = type.indexOf('/');
    boolean ok = type.length() <= MAX_TYPE && slash > 0 && slash < type.length() - 1;
    for (int i = 0; ok && i < type.length(); i++) {
      char c = type.charAt(i);
      ok = i == slash || (c < 128 && (Character.isLetterOrDigit(c) || "!#$&^_.+-".indexOf(c) >= 0));
    }
    if (!ok) {
      throw new IllegalArgumentException("a media type is type/subtype of A-Z a-z 0-9 ! # $ & ^ _ . + -");
    }
    return type.toLowerCase(java.util.Locale.ROOT);
  }

  /** Counts and hashes what is read from the source, and reports it. */
  private static final class Counting extends FilterInputStream {
    private final long total;
    private final TransferProgress progress;
    private final MessageDigest sha = FileCrypto.sha256();
    private long count;

    Counting(InputStream in, long total, TransferProgress progress) {
      super(in);
      this.total = total;
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        sha.update(b, off, n);
        count += n;
        report(progress, count, total);
      }
      return n;
    }

    long size() {
      return count;
    }

    String sha256() {
      return FileCrypto.hex(sha.digest());
    }
  }
}
