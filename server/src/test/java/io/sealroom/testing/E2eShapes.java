package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * Key material of the right shape for server tests: the server checks shapes and never opens
 * anything, so wrapped keys and member keys here are random bytes of the right sizes; the
 * public keys are real RSA keys.
 */
public final class E2eShapes {
  private static final SecureRandom RANDOM = new SecureRandom();

  private E2eShapes() {
  }

  public static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return b64(b);
  }

  public static JsonObject rsaPublicJwk(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      RSAPublicKey k = (RSAPublicKey) g.generateKeyPair().getPublic();
      return new JsonObject().put("kty", "RSA").put("alg", "RSA-OAEP-256").put("n", unsigned(k.getModulus()))
          .put("e", unsigned(k.getPublicExponent()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject wrapped(int iter) {
    return new JsonObject().put("v", 1).put("kdf", "PBKDF2-SHA256").put("iter", iter).put("salt", b64(random(16)))
        .put("alg", "A256GCM").put("iv", b64(random(12))).put("ct", b64(random(1800)));
  }

  public static JsonObject signingJwk() {
    return new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", b64(random(32)));
  }

  /** A PUT /api/v1/e2e/keys body with a fresh 2048-bit public key. */
  public static JsonObject keysBody(int iter) {
    return new JsonObject().put("publicKey", rsaPublicJwk(2048)).put("privateKey", wrapped(iter))
        .put("signingKey", signingJwk());
  }

  /** A kid-shaped id (16 base64url characters). */
  public static String kid() {
    return b64(random(12));
  }

  public static JsonObject memberKey(String kid) {
    return new JsonObject().put("kid", kid).put("alg", "RSA-OAEP-256").put("ct", b64(random(256)));
  }
}
