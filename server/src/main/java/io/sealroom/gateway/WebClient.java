package io.sealroom.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the browser client (src/main/resources/webroot, index.html at /) for GET and HEAD.
 * Mounted after the API routes; paths under /api/ and /ws never reach the files, so unknown API
 * routes keep their JSON 404.
 *
 * <p>Caching: every file is revalidated on each load ({@code no-cache} with Last-Modified), so
 * a browser never runs a stale ES module after an upgrade, yet an unchanged file costs a 304.
 * The Content-Security-Policy allows only the node's own origin: no inline script or style,
 * no third-party anything, no framing.
 *
 * <p>Compression: the HTTP server compresses a file (gzip or deflate) when the request accepts
 * it, and the static handler adds {@code Vary: Accept-Encoding}; API answers opt out, files
 * lift that here. HEAD is answered with GET's headers and no body (the static handler leaves
 * out the Content-Type of a HEAD, so it is added here).
 */
final class WebClient {
  static final String WEBROOT = "webroot";
  static final String INDEX = "index.html";
  static final String CSP = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      // previews of files: bytes fetched with the token (or decrypted in the page) shown by object URL
      "img-src 'self' blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  private WebClient() {
  }

  static Handler<RoutingContext> handler() {
    StaticHandler files = StaticHandler.create(WEBROOT)
        .setCachingEnabled(true)
        .setMaxAgeSeconds(0)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        // the files are UTF-8 whatever the JVM's default charset (a POSIX locale would say ASCII)
        .setDefaultContentEncoding("UTF-8")
        .setIndexPage(INDEX);
    return ctx -> {
      String path = ctx.normalizedPath();
      if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/ws")) {
        ctx.next();
        return;
      }
      ctx.response().headers().remove(HttpHeaders.CONTENT_ENCODING); // files may be compressed
      // set at the end: the static handler writes its own Cache-Control, and noStore ran before it
      ctx.addHeadersEndHandler(v -> {
        var headers = ctx.response().headers();
        if (ctx.response().getStatusCode() < 400) {
          headers.set("Cache-Control", "no-cache");
        } else {
          // a miss falls through to the JSON 404, which stays no-store and uncompressed like the API's
          headers.set(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        }
        if (ctx.request().method() == HttpMethod.HEAD && ctx.response().getStatusCode() == 200
            && !headers.contains(HttpHeaders.CONTENT_TYPE)) {
          headers.set(HttpHeaders.CONTENT_TYPE, contentType(path));
        }
        headers.set("Content-Security-Policy", CSP)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer");
      });
      files.handle(ctx);
    };
  }

  /** The Content-Type the static handler gives the file at this path on a GET. */
  static String contentType(String path) {
    String file = path.endsWith("/") ? path + INDEX : path;
    String type = MimeMapping.mimeTypeForFilename(file);
    if (type == null) {
      return "application/octet-stream";
    }
    return type.startsWith("text") ? type + ";charset=UTF-8" : type;
  }
}
