package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Key version ids of DESIGN.md "User key versions": every key set a user uploads is a version,
 * named by its ukid = the first 16 characters of base64url(SHA-256(UTF-8 of
 * {@code <publicKey.n>|<publicKey.e>|<signingKey.x or empty>})). A message's {@code e2e.ukid}
 * names the version that signed it. Because the ukid is derived from the keys, a client checks
 * each version it is given against its ukid: the server cannot file other keys under it.
 * Stateless and thread-safe.
 */
public final class KeyVersions {
  /** Length of a ukid: 16 base64url characters, 96 bits of the hash. */
  public static final int UKID_CHARS = 16;

  private KeyVersions() {
  }

  /** The ukid of the RSA modulus n and exponent e and the Ed25519 x (each as in the JWKs; x may be null). */
  public static String ukid(String n, String e, String signingXOrNull) {
    if (n == null || e == null) {
      throw new IllegalArgumentException("n and e are required");
    }
    byte[] in = (n + "|" + e + "|" + (signingXOrNull == null ? "" : signingXOrNull)).getBytes(StandardCharsets.UTF_8);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(in);
      return B64.encode(Arrays.copyOf(h, 12)); // 12 bytes encode to exactly 16 characters
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException("SHA-256 is not available", x);
    }
  }

  /**
   * The ukid of a publicKey JWK and an optional signingKey JWK, as JSON texts.
   *
   * @throws IllegalArgumentException when they are not JSON objects with n, e (and x)
   */
  public static String ukid(String publicJwkJson, String signingJwkJsonOrNull) {
    JsonObject pub = Json.object(publicJwkJson, "publicKey");
    String x = signingJwkJsonOrNull == null ? null
        : Json.string(Json.object(signingJwkJsonOrNull, "signingKey"), "x", "signingKey");
    return ukid(Json.string(pub, "n", "publicKey"), Json.string(pub, "e", "publicKey"), x);
  }

  /** The ukid of the version these keys make. */
  public static String ukid(PrivateKeys keys) {
    return ukid(keys.publicJwk(), keys.signingJwk());
  }
}
