package io.sealroom.gateway;

import static io.sealroom.gateway.RestApi.user;

import io.sealroom.common.ApiException;
import io.sealroom.files.FileService;
import io.sealroom.files.StoredFile;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file routes (docs/protocol.md, "Files"): the upload, streamed from the request to the
 * store, answered as soon as a limit is passed; the download, streamed from the store with
 * Range, ETag and headers that keep a browser from running what it gets; the delete of an
 * unattached upload. Both streams use {@link HttpGuard#streaming}: their deadline is a wait for
 * progress, not one for the whole transfer. One per gateway instance.
 */
final class FileHandlers {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
  static final String CSP = "default-src 'none'; sandbox";
  private final FileService files;
  private final HttpGuard guard;

  FileHandlers(FileService files, HttpGuard guard) {
    this.files = files;
    this.guard = guard;
  }

  /** Whether a request is an upload, whose body the route streams itself (it is not collected). */
  static boolean isUpload(HttpServerRequest req) {
    return req.method() == HttpMethod.POST && req.path().startsWith("/api/v1/rooms/") && req.path().endsWith("/files");
  }

  void upload(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Long declared = contentLength(req);
    guard.streaming(req);
    files.upload(user(ctx), ctx.pathParam("rid"), req.getParam("name"), req.getParam("type"), declared, req,
        refusal -> guard.refuseUpload(req, refusal)).onComplete(ar -> {
          if (ar.failed()) {
            // the rest of the body is dropped, then the connection closed (a refusal by a limit answered already)
            guard.refuseUpload(req, ApiException.from(ar.cause()));
            return;
          }
          if (!req.isEnded()) {
            HttpGuard.refuse(req, 400, ApiException.invalid("body", "the upload did not end"));
            return;
          }
          ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("file", ar.result().toJson()).encode());
        });
  }

  private static Long contentLength(HttpServerRequest req) {
    String v = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    return v != null && v.matches("\\d{1,18}") ? Long.parseLong(v) : null;
  }

  void download(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    files.readable(user(ctx), ctx.pathParam("fid")).onComplete(ar -> {
      if (ar.failed()) {
        RestApi.fail(ctx, ar.cause());
        return;
      }
      serve(ctx, ar.result().file(), ar.result().inline());
    });
  }

  private void serve(RoutingContext ctx, StoredFile f, boolean inline) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse res = ctx.response();
    String etag = "\"" + f.sha256() + "\"";
    res.putHeader("ETag", etag).putHeader("Accept-Ranges", "bytes")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Cache-Control", "private, no-cache")
        .putHeader("Content-Type", inline ? f.type() : "application/octet-stream")
        .putHeader("Content-Disposition", disposition(inline, f.name()));
    String ifNoneMatch = req.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag))) {
      res.setStatusCode(304).end();
      return;
    }
    long size = f.size();
    long from = 0;
    long length = size;
    String range = req.getHeader("Range");
    String ifRange = req.getHeader("If-Range");
    Matcher m = range == null || ifRange != null && !ifRange.trim().equals(etag) ? null : RANGE.matcher(range.trim());
    if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
      long start;
      long end;
      if (m.group(1).isEmpty()) { // the last n bytes
        long n = Long.parseLong(m.group(2));
        start = Math.max(0, size - n);
        end = n == 0 ? -1 : size - 1;
      } else {
        start = Long.parseLong(m.group(1));
        end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      }
      if (start >= size || end < start) {
        if (m.group(2).isEmpty() || start >= size || m.group(1).isEmpty()) {
          res.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
          return;
        }
        // start > end in the request itself: not a valid range, so the whole file (RFC 9110)
      } else {
        from = start;
        length = end - start + 1;
        res.setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
      }
    }
    res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    if (req.method() == HttpMethod.HEAD || length == 0) {
      res.end();
      return;
    }
    guard.streaming(req);
    long sent = length;
    files.open(f, from, length).onComplete(ar -> {
      if (ar.failed()) {
        RestApi.fail(ctx, ar.cause());
        return;
      }
      var blob = ar.result();
      blob.stream().pipeTo(res).onComplete(done -> {
        blob.close();
        if (done.succeeded()) {
          files.served(sent);
        } else if (!res.ended()) {
          req.connection().close(); // the length was promised: a short answer must not look complete
        }
      });
    });
  }

  /** attachment (with the name, RFC 6266 / 8187 encoded) unless the file is shown inline. */
  static String disposition(boolean inline, String name) {
    if (inline) {
      return "inline";
    }
    if (name == null) {
      return "attachment";
    }
    StringBuilder out = new StringBuilder("attachment; filename*=UTF-8''");
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  void delete(RoutingContext ctx) {
    RestApi.reply(ctx, 204, files.delete(user(ctx), ctx.pathParam("fid")), v -> null);
  }
}
