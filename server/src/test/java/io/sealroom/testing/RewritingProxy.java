package io.sealroom.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A node that lies: an HTTP proxy in front of a real node that passes every request on and may
 * rewrite an answer's body ({@code rewrite(pathAndQuery, body)} answers the body to send, or
 * the one it was given). Tests of clients and auditors put it where a compromised server would
 * be. GET and HEAD bodies only; other requests pass unchanged.
 */
public final class RewritingProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String target;
  private final HttpServer server;
  private volatile BiFunction<String, String, String> rewrite = (path, body) -> body;

  private RewritingProxy(String target) throws Exception {
    this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    this.server = vertx.createHttpServer().requestHandler(this::forward)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A proxy for the node at {@code target} (e.g. http://127.0.0.1:8080). */
  public static RewritingProxy start(String target) throws Exception {
    return new RewritingProxy(target);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** From now on, answers pass through {@code rewrite} (path with query, body) → body. */
  public void rewrite(BiFunction<String, String, String> rewrite) {
    this.rewrite = rewrite;
  }

  private void forward(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target + req.uri()))
          .method(req.method().name(), body.length() == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
      req.headers().forEach(h -> {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("host", "content-length", "connection", "upgrade", "expect", "transfer-encoding").contains(name)) {
          out.header(h.getKey(), h.getValue());
        }
      });
      http.sendAsync(out.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).whenComplete((res, err) -> {
        if (err != null) {
          req.response().setStatusCode(502).end();
          return;
        }
        String answer = res.body();
        if (res.statusCode() == 200) {
          answer = rewrite.apply(req.uri(), answer);
        }
        var response = req.response().setStatusCode(res.statusCode());
        res.headers().firstValue("content-type").ifPresent(t -> response.putHeader("content-type", t));
        response.end(answer);
      });
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
