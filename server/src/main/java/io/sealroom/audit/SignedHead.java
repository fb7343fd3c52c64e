package io.sealroom.audit;

import io.sealroom.kt.Heads;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * A tree head as GET /api/v1/kt/head answers it: {@code size}, {@code root}, {@code ts}, the
 * Ed25519 {@code sig} over {@code sealroom-kt|<size>|<root>|<ts>}, and the {@code logKey}.
 */
record SignedHead(long size, String root, long ts, String sig, String logKeyX) {

  /** The head of a JSON answer; IllegalArgumentException when a field is missing or malformed. */
  static SignedHead of(JsonObject o) {
    try {
      JsonObject key = o.getJsonObject("logKey");
      if (key == null || !"OKP".equals(key.getString("kty")) || !"Ed25519".equals(key.getString("crv"))) {
        throw new IllegalArgumentException("logKey is not an Ed25519 public JWK");
      }
      SignedHead h = new SignedHead(o.getLong("size"), o.getString("root"), o.getLong("ts"), o.getString("sig"),
          key.getString("x"));
      if (h.size() < 0 || h.root() == null || h.sig() == null || h.logKeyX() == null || h.rootBytes().length != 32) {
        throw new IllegalArgumentException("a head needs size, root (32 bytes), ts, sig and logKey");
      }
      return h;
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("a head needs size, root, ts, sig and logKey");
    }
  }

  byte[] rootBytes() {
    return Base64.getUrlDecoder().decode(root);
  }

  JsonObject toJson() {
    return new JsonObject().put("size", size).put("root", root).put("ts", ts).put("sig", sig)
        .put("logKey", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", logKeyX));
  }

  /** Whether {@code sig} is the log key's signature of this head. */
  boolean signatureValid() {
    try {
      return Heads.verify(logKeyX, Heads.signedText(size, rootBytes(), ts), Base64.getUrlDecoder().decode(sig));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
