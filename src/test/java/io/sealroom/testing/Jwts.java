package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A P-256 key pair for forging JWTs in tests: written as the PKCS#8 PEM a node reads from
 * auth.jwt.keyFile, and used to sign tokens by hand (ES256, JOSE raw R||S signatures).
 */
public final class Jwts {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private final KeyPair keys;

  private Jwts(KeyPair keys) {
    this.keys = keys;
  }

  public static Jwts generate() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return new Jwts(gen.generateKeyPair());
  }

  public KeyPair keyPair() {
    return keys;
  }

  public String privatePem() {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  public String publicPem() {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  /** Writes the private key (PKCS#8 PEM only) to dir/name and returns the path. */
  public Path writePrivatePem(Path dir, String name) throws java.io.IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, privatePem(), StandardCharsets.US_ASCII);
    return file;
  }

  /** Standard claims: sub, name, iss, iat and exp in epoch seconds. */
  public static JsonObject claims(String sub, String name, String iss, long iat, long exp) {
    return new JsonObject().put("sub", sub).put("name", name).put("iss", iss).put("iat", iat).put("exp", exp);
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** An ES256 token over these claims, signed with this key. */
  public String es256(JsonObject claims) {
    return sign(new JsonObject().put("alg", "ES256").put("typ", "JWT"), claims);
  }

  /** A token with this header, ES256-signed with this key whatever the header says. */
  public String sign(JsonObject header, JsonObject claims) {
    String input = part(header) + "." + part(claims);
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(keys.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64URL.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token: {"alg":"none"} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
  }

  /** An HS256 token whose HMAC secret is the given text (e.g. a public key PEM: algorithm confusion). */
  public static String hs256(String secret, JsonObject claims) {
    String input = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String part(JsonObject o) {
    return B64URL.encodeToString(o.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
