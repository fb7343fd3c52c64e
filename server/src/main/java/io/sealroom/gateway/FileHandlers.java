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
  private static final Pattern RANGE = Pattern.compile("(?i)bytes=(\\d{0,18})-(\\d{0,18})");
  static final String CSP = "default-src 'none'; sandbox";
  private final FileService files;
  private final HttpGuard guard;
  private final io.sealroom.limits.Limits.Buckets budget;

  /** budget: each user's send budget (ws.sendRatePerSecond), which an upload takes one of, like a send. */
  FileHandlers(FileService files, HttpGuard guard, io.sealroom.limits.Limits.Buckets budget) {
    this.files = files;
    this.guard = guard;
    this.budget = budget;
  }

  /** Whether a request is an upload, whose body the route streams itself (it is not collected). */
  static boolean isUpload(HttpServerRequest req) {
    return req.method() == HttpMethod.POST && req.path().startsWith("/api/v1/rooms/") && req.path().endsWith("/files");
  }

  void upload(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Long declared = contentLength(req);
    guard.streaming(req);
    // from now on: a client that goes before its body is read must still end the upload
    io.vertx.core.Promise<Void> gone = io.vertx.core.Promise.promise();
    req.exceptionHandler(gone::tryFail);
    req.response().closeHandler(v -> gone.tryComplete());
    budget.take(user(ctx).id()).compose(ok -> ok
        ? files.upload(user(ctx), ctx.pathParam("rid"), req.getParam("name"), req.getParam("type"), declared, req,
            gone.future(), refusal -> guard.refuseUpload(req, refusal))
        : io.vertx.core.Future.failedFuture(new ApiException(io.sealroom.common.ErrorCode.RATE_LIMITED,
            "uploading too fast, slow down"))).onComplete(ar -> {
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
    String etag = "\"" + f.sha256() + "\"";
    String ifNoneMatch = req.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag))) {
      fileHeaders(ctx.response(), f, inline, etag).setStatusCode(304).end();
      return;
    }
    long size = f.size();
    long[] span = range(req.getHeader("Range"), req.getHeader("If-Range"), etag, size);
    if (span == UNSATISFIABLE) {
      fileHeaders(ctx.response(), f, inline, etag).setStatusCode(416).putHeader("Content-Range", "bytes */" + size)
          .end();
      return;
    }
    long from = span == null ? 0 : span[0];
    long length = span == null ? size : span[1] - span[0] + 1;
    if (req.method() == HttpMethod.HEAD || length == 0) {
      answer(ctx, f, inline, etag, span, length).end();
      return;
    }
    guard.streaming(req);
    // the blob is opened before any header is set: a failure here is an ordinary error answer
    files.open(f, from, length).onComplete(ar -> {
      if (ar.failed()) {
        RestApi.fail(ctx, ar.cause());
        return;
      }
      var blob = ar.result();
      HttpServerResponse res = answer(ctx, f, inline, etag, span, length);
      blob.stream().pipeTo(res).onComplete(done -> {
        blob.close();
        if (done.succeeded()) {
          files.served(length);
        } else if (!res.ended()) {
          req.connection().close(); // the length was promised: a short answer must not look complete
        }
      });
    });
  }

  /** The headers and status of a file's answer: 200, or 206 with its Content-Range. */
  private static HttpServerResponse answer(RoutingContext ctx, StoredFile f, boolean inline, String etag, long[] span,
      long length) {
    HttpServerResponse res = fileHeaders(ctx.response(), f, inline, etag);
    if (span != null) {
      res.setStatusCode(206).putHeader("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + f.size());
    }
    return res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
  }

  private static HttpServerResponse fileHeaders(HttpServerResponse res, StoredFile f, boolean inline, String etag) {
    return res.putHeader("ETag", etag).putHeader("Accept-Ranges", "bytes")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Cache-Control", "private, no-cache")
        .putHeader("Content-Type", inline ? f.type() : "application/octet-stream")
        .putHeader("Content-Disposition", disposition(inline, f.name()));
  }

  static final long[] UNSATISFIABLE = new long[0];

  /**
   * The one byte range asked for, as {first, last}; null for the whole file (no Range, an If-Range
   * that is not the ETag, several ranges or a syntax not understood, as RFC 9110 allows);
   * {@link #UNSATISFIABLE} for a range that starts past the end (or a zero-length suffix).
   */
  static long[] range(String header, String ifRange, String etag, long size) {
    if (header == null || ifRange != null && !ifRange.trim().equals(etag)) {
      return null;
    }
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return null;
    }
    if (m.group(1).isEmpty()) { // the last n bytes
      long n = Long.parseLong(m.group(2));
      if (n == 0) {
        return UNSATISFIABLE;
      }
      return size == 0 ? null : new long[] {Math.max(0, size - n), size - 1};
    }
    long start = Long.parseLong(m.group(1));
    if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
      return null; // last before first: not a valid range, so the whole file
    }
    if (start >= size) {
      return UNSATISFIABLE;
    }
    long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
    return new long[] {start, end};
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
