package io.sealroom.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sealroom.client.crypto.FileCrypto;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two file routes of docs/protocol.md, just enough to test the SDK's side without a node:
 * POST /api/v1/rooms/{rid}/files stores the body and answers the file object, GET
 * /api/v1/files/{fid} serves it with its ETag. A test may alter what is stored, or the ETag.
 */
final class FakeFileServer implements AutoCloseable {
  /** What one upload looked like on the wire. */
  record Received(String query, String contentLength, String transferEncoding, String authorization) {
  }

  final Map<String, byte[]> stored = new ConcurrentHashMap<>();
  final Map<String, String> etags = new ConcurrentHashMap<>();
  final Map<String, Received> received = new ConcurrentHashMap<>();
  volatile boolean answerWrongSha;
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger downloads = new AtomicInteger();
  private final HttpServer server;

  FakeFileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/rooms/", this::upload);
    server.createContext("/api/v1/files/", this::download);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int downloads() {
    return downloads.get();
  }

  private void upload(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String room = path.split("/")[4];
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    String id = String.format("file%016d", ids.incrementAndGet());
    stored.put(id, body);
    etags.put(id, sha(body));
    received.put(id, new Received(ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Content-Length"),
        ex.getRequestHeaders().getFirst("Transfer-Encoding"), ex.getRequestHeaders().getFirst("Authorization")));
    JsonObject f = new JsonObject().put("id", id).put("room", room).put("size", (long) body.length)
        .put("sha256", answerWrongSha ? sha(new byte[0]) : sha(body)).put("createdAt", 1L);
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String kv : q.split("&")) {
        String[] p = kv.split("=", 2);
        f.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
    }
    answer(ex, 201, new JsonObject().put("file", f).encode().getBytes(StandardCharsets.UTF_8), null);
  }

  private void download(HttpExchange ex) throws IOException {
    downloads.incrementAndGet();
    String id = ex.getRequestURI().getPath().substring("/api/v1/files/".length());
    byte[] b = stored.get(id);
    if (b == null) {
      answer(ex, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\"}}".getBytes(StandardCharsets.UTF_8),
          null);
      return;
    }
    answer(ex, 200, b, etags.get(id));
  }

  private static void answer(HttpExchange ex, int status, byte[] body, String etag) throws IOException {
    if (etag != null) {
      ex.getResponseHeaders().add("ETag", "\"" + etag + "\"");
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static String sha(byte[] b) {
    return FileCrypto.hex(FileCrypto.sha256().digest(b));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
