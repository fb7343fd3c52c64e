package io.sealroom.client;

import io.sealroom.client.crypto.SigningKeys;
import io.vertx.core.json.JsonObject;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Senders' Ed25519 public keys (GET /api/v1/users/{id}/keys), cached per user; a user
 * without a signing key is cached as empty. Engine-confined.
 */
final class SignerCache {
  private final Rest rest;
  private final Map<String, Optional<PublicKey>> keys = new HashMap<>();

  SignerCache(Rest rest) {
    this.rest = rest;
  }

  /** The user's signing key, or null when they have none (or it cannot be read now). */
  PublicKey get(String userId) {
    Optional<PublicKey> k = keys.get(userId);
    if (k == null) {
      k = fetch(userId);
      if (k == null) {
        return null;
      }
      keys.put(userId, k);
    }
    return k.orElse(null);
  }

  /** Drops the cached key (the user may have reset their keys). */
  void forget(String userId) {
    keys.remove(userId);
  }

  private Optional<PublicKey> fetch(String userId) {
    try {
      JsonObject o = rest.get("/api/v1/users/" + Rest.enc(userId) + "/keys");
      Object jwk = o.getValue("signingKey");
      if (jwk == null) {
        return Optional.empty();
      }
      String text = jwk instanceof JsonObject ? ((JsonObject) jwk).encode() : String.valueOf(jwk);
      return Optional.of(SigningKeys.parsePublicJwk(text));
    } catch (SealroomException e) {
      // no keys at all: nothing to verify with; anything else: try again next time
      return "no_keys".equals(e.code()) || "not_found".equals(e.code()) ? Optional.empty() : null;
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
