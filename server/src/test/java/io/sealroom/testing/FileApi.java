package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/** Uploads and downloads of files over the REST routes, for tests (raw bytes, streams, headers). */
public final class FileApi {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Supplier<String> base;

  public FileApi(Supplier<String> base) {
    this.base = base;
  }

  /** A response with its headers and body bytes; body parsed as JSON when asked. */
  public record Res(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    public JsonObject json() {
      return body.length == 0 ? new JsonObject() : new JsonObject(new String(body, StandardCharsets.UTF_8));
    }

    public String errorCode() {
      JsonObject e = json().getJsonObject("error");
      return e == null ? null : e.getString("code");
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }

    public JsonObject file() {
      return json().getJsonObject("file");
    }
  }

  private static String query(String name, String type) {
    StringBuilder q = new StringBuilder();
    if (name != null) {
      q.append(q.length() == 0 ? "?" : "&").append("name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
    }
    if (type != null) {
      q.append(q.length() == 0 ? "?" : "&").append("type=").append(URLEncoder.encode(type, StandardCharsets.UTF_8));
    }
    return q.toString().replace("+", "%20");
  }

  public Res upload(String token, String rid, byte[] bytes, String name, String type) {
    return send(HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/rooms/" + rid + "/files" + query(name, type)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), token);
  }

  /** An upload of a stream sent chunked (no Content-Length). */
  public Res uploadStream(String token, String rid, Supplier<InputStream> in, String name, String type) {
    return send(HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/rooms/" + rid + "/files" + query(name, type)))
        .POST(HttpRequest.BodyPublishers.ofInputStream(in)), token);
  }

  public Res download(String token, String fid, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/files/" + fid)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b, token);
  }

  public Res head(String token, String fid) {
    return send(HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/files/" + fid))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()), token);
  }

  public Res delete(String token, String fid) {
    return send(HttpRequest.newBuilder(URI.create(base.get() + "/api/v1/files/" + fid)).DELETE(), token);
  }

  private static Res send(HttpRequest.Builder b, String token) {
    b.timeout(Duration.ofSeconds(120));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Res(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
