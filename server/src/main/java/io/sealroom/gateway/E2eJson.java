package io.sealroom.gateway;

import io.sealroom.common.ApiException;
import io.sealroom.keys.KeyShapes;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.RoomKeyStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** E2E key material between JSON and records: the shapes of DESIGN "E2E key formats". */
final class E2eJson {
  private E2eJson() {
  }

  static UserKeys userKeys(JsonObject body) {
    JsonObject pub = object(body, "publicKey", true);
    JsonObject priv = object(body, "privateKey", true);
    JsonObject sig = object(body, "signingKey", false);
    expect(pub, "kty", "RSA", "publicKey.kty");
    expect(pub, "alg", KeyShapes.RSA_ALG, "publicKey.alg");
    RsaPublicJwk publicKey = new RsaPublicJwk(JsonFields.requiredStr(pub, "n"), JsonFields.requiredStr(pub, "e"));
    WrappedPrivateKey privateKey = new WrappedPrivateKey(integer(priv, "v", "privateKey.v"),
        JsonFields.str(priv, "kdf"), integer(priv, "iter", "privateKey.iter"), JsonFields.str(priv, "salt"),
        JsonFields.str(priv, "alg"), JsonFields.str(priv, "iv"), JsonFields.str(priv, "ct"));
    SigningJwk signingKey = null;
    if (sig != null) {
      expect(sig, "kty", "OKP", "signingKey.kty");
      expect(sig, "crv", "Ed25519", "signingKey.crv");
      signingKey = new SigningJwk(JsonFields.requiredStr(sig, "x"));
    }
    return new UserKeys(publicKey, privateKey, signingKey, System.currentTimeMillis());
  }

  /** Own keys, as GET /api/v1/e2e/keys returns them. */
  static JsonObject own(UserKeys k) {
    JsonObject o = publicParts(k);
    WrappedPrivateKey w = k.privateKey();
    o.put("privateKey", new JsonObject().put("v", w.v()).put("kdf", w.kdf()).put("iter", w.iter())
        .put("salt", w.salt()).put("alg", w.alg()).put("iv", w.iv()).put("ct", w.ct()));
    return o;
  }

  /** Public parts only, for anyone: GET /api/v1/users/{id}/keys. */
  static JsonObject publicParts(UserKeys k) {
    JsonObject o = new JsonObject().put("publicKey", Frames.publicJwk(k.publicKey()));
    if (k.signingKey() != null) {
      o.put("signingKey", signingJwk(k.signingKey()));
    }
    return o.put("ukid", k.ukid());
  }

  private static JsonObject signingJwk(io.sealroom.keys.SigningJwk k) {
    return new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", k.x());
  }

  /** A user's key versions, oldest first: GET /api/v1/users/{id}/keys/history. */
  static JsonObject history(java.util.List<io.sealroom.keys.KeyVersion> versions) {
    io.vertx.core.json.JsonArray a = new io.vertx.core.json.JsonArray();
    for (io.sealroom.keys.KeyVersion v : versions) {
      JsonObject o = new JsonObject().put("ukid", v.ukid()).put("publicKey", Frames.publicJwk(v.publicKey()));
      if (v.signingKey() != null) {
        o.put("signingKey", signingJwk(v.signingKey()));
      }
      o.put("createdAt", v.createdAt());
      if (v.endedAt() != null) {
        o.put("endedAt", v.endedAt());
      }
      a.add(o);
    }
    return new JsonObject().put("keys", a);
  }

  static MemberKey memberKey(JsonObject o, String field) {
    JsonObject k = object(o, field, true);
    return new MemberKey(JsonFields.str(k, "kid"), JsonFields.str(k, "alg"), JsonFields.str(k, "ct"));
  }

  static JsonObject memberKey(MemberKey k) {
    return new JsonObject().put("kid", k.kid()).put("alg", k.alg()).put("ct", k.ct());
  }

  /** {kid, key, old:[{kid, key}]}: kid and key are null when only older keys are held. */
  static JsonObject memberKeys(RoomKeyStore.MemberKeys mk) {
    JsonArray old = new JsonArray();
    mk.old().forEach(k -> old.add(new JsonObject().put("kid", k.kid()).put("key", memberKey(k))));
    JsonObject o = new JsonObject();
    if (mk.current() != null) {
      o.put("kid", mk.current().kid()).put("key", memberKey(mk.current()));
    } else {
      o.putNull("kid").putNull("key");
    }
    return o.put("old", old);
  }

  private static JsonObject object(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) {
        throw ApiException.invalid(field, "is required");
      }
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw ApiException.invalid(field, "must be an object");
    }
    return (JsonObject) v;
  }

  private static void expect(JsonObject o, String key, String value, String field) {
    if (!value.equals(o.getValue(key))) {
      throw ApiException.invalid(field, "must be \"" + value + "\"");
    }
  }

  private static int integer(JsonObject o, String key, String field) {
    Object v = o.getValue(key);
    if (!(v instanceof Integer)) {
      throw ApiException.invalid(field, "must be an integer");
    }
    return (Integer) v;
  }
}
