package io.sealroom.gateway;

import static io.sealroom.gateway.RestApi.reply;

import io.sealroom.common.ApiException;
import io.sealroom.kt.ConsistencyProof;
import io.sealroom.kt.InclusionProof;
import io.sealroom.kt.KtService;
import io.sealroom.kt.SignedHead;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.List;

/**
 * The key-transparency routes (docs/protocol.md, "The key-transparency log"): the signed head,
 * inclusion and consistency proofs and leaf pages. They need no token (auditors read them); the
 * node's HTTP deadlines and limits hold as for every request. Binary values are unpadded base64url.
 * Stateless; shared by the routes of one gateway instance.
 */
final class KtHandlers {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final KtService kt;

  KtHandlers(KtService kt) {
    this.kt = kt;
  }

  void head(RoutingContext ctx) {
    reply(ctx, 200, kt.head(), KtHandlers::headJson);
  }

  void proof(RoutingContext ctx) {
    reply(ctx, 200, parsed(() -> kt.proof(required(ctx, "uid"), required(ctx, "ukid"),
        JsonFields.queryLong(ctx.request().getParam("size"), "size"))), KtHandlers::proofJson);
  }

  void consistency(RoutingContext ctx) {
    reply(ctx, 200, parsed(() -> kt.consistency(requiredLong(ctx, "from"), requiredLong(ctx, "to"))),
        KtHandlers::consistencyJson);
  }

  void leaves(RoutingContext ctx) {
    reply(ctx, 200, parsed(() -> {
      long start = requiredLong(ctx, "start");
      return kt.leaves(start, requiredLong(ctx, "end")).map(l -> new Page(start, l));
    }), p -> new JsonObject().put("start", p.start()).put("leaves", new JsonArray(p.leaves())));
  }

  private record Page(long start, List<String> leaves) {
  }

  /** The call, or its parameters' invalid_request as a failed future. */
  private static <T> Future<T> parsed(java.util.function.Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  private static String required(RoutingContext ctx, String field) {
    String v = ctx.request().getParam(field);
    if (v == null || v.isEmpty()) {
      throw ApiException.invalid(field, "is required");
    }
    return v;
  }

  private static long requiredLong(RoutingContext ctx, String field) {
    Long v = JsonFields.queryLong(ctx.request().getParam(field), field);
    if (v == null) {
      throw ApiException.invalid(field, "is required");
    }
    return v;
  }

  static JsonObject headJson(SignedHead h) {
    return new JsonObject().put("size", h.size()).put("root", B64.encodeToString(h.root())).put("ts", h.ts())
        .put("sig", B64.encodeToString(h.sig()))
        .put("logKey", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", h.logKeyX()));
  }

  private static JsonObject proofJson(InclusionProof p) {
    return new JsonObject().put("index", p.index()).put("leaf", p.leaf()).put("size", p.size()).put("path", path(p.path()));
  }

  private static JsonObject consistencyJson(ConsistencyProof p) {
    return new JsonObject().put("from", p.from()).put("to", p.to()).put("path", path(p.path()));
  }

  private static JsonArray path(List<byte[]> hashes) {
    JsonArray out = new JsonArray();
    hashes.forEach(h -> out.add(B64.encodeToString(h)));
    return out;
  }
}
