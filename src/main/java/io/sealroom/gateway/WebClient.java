package io.sealroom.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the browser client (src/main/resources/webroot, index.html at /). Mounted after the
 * API routes; paths under /api/ and /ws never reach the files, so unknown API routes keep
 * their JSON 404.
 *
 * <p>Caching: every file is revalidated on each load ({@code no-cache} with Last-Modified), so
 * a browser never runs a stale ES module after an upgrade, yet an unchanged file costs a 304.
 * The Content-Security-Policy allows only the node's own origin: no inline script or style,
 * no third-party anything, no framing.
 */
final class WebClient {
  static final String WEBROOT = "webroot";
  static final String CSP = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
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
        .setIndexPage("index.html");
    return ctx -> {
      String path = ctx.normalizedPath();
      if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/ws")) {
        ctx.next();
        return;
      }
      // set at the end: the static handler writes its own Cache-Control, and noStore ran before it
      ctx.addHeadersEndHandler(v -> {
        var headers = ctx.response().headers();
        if (ctx.response().getStatusCode() < 400) {
          headers.set("Cache-Control", "no-cache"); // a miss falls through to the JSON 404, which stays no-store
        }
        headers.set("Content-Security-Policy", CSP)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer");
      });
      files.handle(ctx);
    };
  }
}
