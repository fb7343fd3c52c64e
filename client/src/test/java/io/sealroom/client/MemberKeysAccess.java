package io.sealroom.client;

import io.sealroom.client.crypto.RsaKeys;
import io.sealroom.client.json.JsonObject;
import java.security.interfaces.RSAPublicKey;

/** Parses a relayed public JWK (object or string) for test doubles. */
final class MemberKeysAccess {
  private MemberKeysAccess() {
  }

  static RSAPublicKey parse(Object jwk) {
    return RsaKeys.parsePublicJwk(jwk instanceof JsonObject ? ((JsonObject) jwk).encode() : String.valueOf(jwk));
  }
}
