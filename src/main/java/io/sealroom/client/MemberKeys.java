package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.crypto.RsaKeys;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Member keys, the {@code key} objects of the e2e routes: {@code {kid, alg:"RSA-OAEP-256", ct}}
 * with ct the raw room key under a member's RSA public key. Unwrapping checks that the key
 * hashes to its kid, so a member cannot hand out a different key under a room's kid. Stateless.
 */
final class MemberKeys {
  static final String ALG = "RSA-OAEP-256";

  private MemberKeys() {
  }

  /** The member key object for {@code raw} under {@code publicKey}. */
  static JsonObject wrap(RSAPublicKey publicKey, byte[] raw) {
    try {
      return new JsonObject().put("kid", RoomKeys.kid(raw)).put("alg", ALG)
          .put("ct", B64.encode(RsaKeys.wrap(publicKey, raw)));
    } catch (GeneralSecurityException e) {
      throw new SealroomException("bad_key", "could not wrap a room key", e);
    }
  }

  /** The member key object for {@code raw} under a public JWK as the server relays it (object or string). */
  static JsonObject wrap(Object publicJwk, byte[] raw) {
    try {
      String jwk = publicJwk instanceof JsonObject ? ((JsonObject) publicJwk).encode() : String.valueOf(publicJwk);
      return wrap(RsaKeys.parsePublicJwk(jwk), raw);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SealroomException("bad_key", "a member's public key is unusable", e);
    }
  }

  /**
   * The raw room key in a member key object, checked against {@code expectedKid} (the kid the
   * server filed it under) and its own kid field.
   */
  static byte[] unwrap(PrivateKey privateKey, JsonObject key, String expectedKid) {
    byte[] raw;
    try {
      raw = RsaKeys.unwrap(privateKey, B64.decode(key.getString("ct")));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SealroomException("bad_key", "a room key could not be unwrapped", e);
    }
    String kid = RoomKeys.kid(raw);
    String claimed = key.getString("kid", expectedKid);
    if (raw.length != 32 || !kid.equals(claimed) || (expectedKid != null && !kid.equals(expectedKid))) {
      throw new SealroomException("bad_key", "a room key does not match its key id");
    }
    return raw;
  }
}
