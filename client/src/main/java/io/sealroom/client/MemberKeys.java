package io.sealroom.client;

import io.sealroom.client.crypto.MemberKey;
import io.sealroom.client.crypto.RsaKeys;
import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Member keys, the {@code key} objects of the e2e routes ({@code {kid, alg:"RSA-OAEP-256", ct}}),
 * as JSON objects, over {@link MemberKey}. Unwrapping checks that the key hashes to the kid it
 * is filed under, so a member cannot hand out a different key under a room's kid; every failure
 * is a SealroomException "bad_key". Stateless.
 */
final class MemberKeys {
  private MemberKeys() {
  }

  /** The member key object for {@code raw} under {@code publicKey}. */
  static JsonObject wrap(RSAPublicKey publicKey, byte[] raw) {
    try {
      return new JsonObject(MemberKey.wrap(raw, publicKey));
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "could not wrap a room key", e);
    }
  }

  /** The member key object for {@code raw} under a public JWK as the server relays it (object or string). */
  static JsonObject wrap(Object publicJwk, byte[] raw) {
    RSAPublicKey key;
    try {
      key = RsaKeys.parsePublicJwk(publicJwk instanceof JsonObject ? ((JsonObject) publicJwk).encode()
          : String.valueOf(publicJwk));
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "a member's public key is unusable", e);
    }
    return wrap(key, raw);
  }

  /**
   * The raw room key in a member key object, checked against {@code expectedKid} (the kid the
   * server filed it under) and against its own kid field.
   */
  static byte[] unwrap(PrivateKey privateKey, JsonObject key, String expectedKid) {
    try {
      return MemberKey.unwrap(key.encode(), privateKey, expectedKid);
    } catch (GeneralSecurityException e) {
      throw new SealroomException("bad_key", "a room key could not be unwrapped", e);
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "a room key does not match its key id", e);
    }
  }
}
