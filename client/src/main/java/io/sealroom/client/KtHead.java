package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.Merkle;
import io.sealroom.client.crypto.SigningKeys;
import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A signed tree head of the key-transparency log ({@code GET /api/v1/kt/head}): the size and
 * root of the tree, when it was signed, the Ed25519 signature over
 * {@code sealroom-kt|<size>|<root>|<ts>} and the log key's {@code x}. Values are kept as the
 * server sent them (base64url) so that the signed text can be rebuilt exactly.
 */
record KtHead(long size, String root, long ts, String sig, String logKey) {

  /** Parses a head answer (or a kept head); IllegalArgumentException when a field is missing or malformed. */
  static KtHead parse(JsonObject o) {
    Object size = o.getValue("size");
    Object ts = o.getValue("ts");
    if (!(size instanceof Number) || !(ts instanceof Number) || ((Number) size).longValue() < 0) {
      throw new IllegalArgumentException("a head needs an integer size and ts");
    }
    JsonObject key = o.getJsonObject("logKey");
    if (key == null || !"OKP".equals(key.getString("kty")) || !"Ed25519".equals(key.getString("crv"))) {
      throw new IllegalArgumentException("a head's logKey must be an Ed25519 JWK");
    }
    KtHead h = new KtHead(((Number) size).longValue(), o.getString("root"), ((Number) ts).longValue(),
        o.getString("sig"), key.getString("x"));
    if (h.root == null || B64.decode(h.root).length != Merkle.HASH_BYTES || h.sig == null
        || B64.decode(h.sig).length != SigningKeys.SIGNATURE_BYTES || h.logKey == null) {
      throw new IllegalArgumentException("a head's root is 32 bytes and its sig 64 bytes");
    }
    return h;
  }

  JsonObject toJson() {
    return new JsonObject().put("size", size).put("root", root).put("ts", ts).put("sig", sig)
        .put("logKey", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", logKey));
  }

  byte[] rootBytes() {
    return B64.decode(root);
  }

  /** Whether {@code sig} is the log key's Ed25519 signature of this head (checked with the JDK's Ed25519). */
  boolean signatureValid() {
    try {
      PublicKey key = SigningKeys.parsePublicJwk(new JsonObject().put("kty", "OKP").put("crv", "Ed25519")
          .put("x", logKey).encode());
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(("sealroom-kt|" + size + "|" + root + "|" + ts).getBytes(StandardCharsets.UTF_8));
      return s.verify(B64.decode(sig));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
