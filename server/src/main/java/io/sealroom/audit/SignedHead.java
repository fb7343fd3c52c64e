package io.sealroom.audit;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
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
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(publicKey(logKeyX));
      v.update(("sealroom-kt|" + size + "|" + root + "|" + ts).getBytes(StandardCharsets.UTF_8));
      return v.verify(Base64.getUrlDecoder().decode(sig));
    } catch (Exception e) {
      return false;
    }
  }

  /** An Ed25519 public key from its RFC 8037 {@code x} (little-endian y with the sign of x in the top bit). */
  static PublicKey publicKey(String x) throws Exception {
    byte[] raw = Base64.getUrlDecoder().decode(x);
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 key has 32 bytes");
    }
    boolean odd = (raw[31] & 0x80) != 0;
    byte[] y = new byte[32];
    for (int i = 0; i < 32; i++) {
      y[i] = raw[31 - i];
    }
    y[0] &= 0x7f;
    EdECPoint point = new EdECPoint(odd, new BigInteger(1, y));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }
}
