package io.sealroom.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * GET /health: 200 while the store answers within {@link #TIMEOUT_MS} and the node is not cut
 * off from its cluster, else 503; the answer names the store's engine and describes the
 * cluster. Built once per node and shared by every gateway instance; the suppliers are
 * thread-safe, and the answer is written on the calling instance's event loop.
 */
public record HealthCheck(Supplier<Future<Void>> storeProbe, String storeEngine, Supplier<JsonObject> clusterView) {
  static final long TIMEOUT_MS = 2000;

  void handle(RoutingContext ctx) {
    storeProbe.get().timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      JsonObject cluster = clusterView.get();
      boolean ok = ar.succeeded() && !io.sealroom.cluster.ClusterView.detached(cluster);
      JsonObject o = new JsonObject().put("status", ok ? "ok" : "unavailable")
          .put("store", ar.succeeded() ? "up" : "down").put("engine", storeEngine).put("cluster", cluster);
      ctx.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json").end(o.encode());
    });
  }
}
