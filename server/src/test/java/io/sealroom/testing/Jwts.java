package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A P-256 key pair for forging JWTs in tests: written as the PKCS#8 PEM a node reads from
 * auth.jwt.keyFile, and used to sign tokens by hand (ES256, JOSE raw R||S signatures, low-S as
 * a node makes them).
 */
public final class Jwts {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  /** The order n of P-256's base point. */
  public static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
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
      byte[] sig = s.sign();
      BigInteger sv = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
      if (sv.compareTo(P256_ORDER.shiftRight(1)) > 0) {
        sig = withS(sig, P256_ORDER.subtract(sv));
      }
      return input + "." + B64URL.encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same token with its signature's twin (r, n - s): valid for plain ECDSA, but not low-S. */
  public static String highSTwin(String token) {
    int dot = token.lastIndexOf('.');
    byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    BigInteger sv = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    return token.substring(0, dot + 1) + B64URL.encodeToString(withS(sig, P256_ORDER.subtract(sv)));
  }

  /** The same token with its raw 64-byte signature extended by a zero byte. */
  public static String signature65Bytes(String token) {
    int dot = token.lastIndexOf('.');
    byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    return token.substring(0, dot + 1) + B64URL.encodeToString(Arrays.copyOf(sig, 65));
  }

  private static byte[] withS(byte[] sig, BigInteger s) {
    byte[] out = Arrays.copyOf(sig, 64);
    byte[] b = s.toByteArray();
    int n = Math.min(b.length, 32);
    Arrays.fill(out, 32, 64, (byte) 0);
    System.arraycopy(b, b.length - n, out, 64 - n, n);
    return out;
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
