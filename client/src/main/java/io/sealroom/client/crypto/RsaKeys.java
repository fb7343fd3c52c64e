package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The user's RSA-OAEP key pair: the publicKey JWK of DESIGN.md, the private JWK inside the wrapped
 * private key, and wrapping room keys for members. Stateless and thread-safe (a new Cipher per
 * call).
 *
 * <p>OAEP is always SHA-256 with MGF1-SHA-256 and an empty label, as Web Crypto's
 * {@code {name:"RSA-OAEP", hash:"SHA-256"}} does. The JDK transformation name
 * "RSA/ECB/OAEPWithSHA-256AndMGF1Padding" would quietly use MGF1-SHA-1 and not interoperate with
 * browsers, so the parameters are always given explicitly.
 */
public final class RsaKeys {
  /** The JWK alg of every Sealroom RSA key. */
  public static final String ALG = "RSA-OAEP-256";
  /** Size of generated keys and the smallest modulus {@link #wrap} encrypts to. */
  public static final int MIN_MODULUS_BITS = 2048;

  private static final String WHAT = "RSA JWK";
  private static final String[] CRT_MEMBERS = {"p", "q", "dp", "dq", "qi"};

  private RsaKeys() {
  }

  /** A new RSA-2048 key pair with e = 65537. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(new RSAKeyGenParameterSpec(MIN_MODULUS_BITS, RSAKeyGenParameterSpec.F4));
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available", e);
    }
  }

  /** {@code {"kty":"RSA","alg":"RSA-OAEP-256","n":..,"e":..}}. */
  public static String publicJwk(RSAPublicKey key) {
    return new JsonObject()
        .put("kty", "RSA")
        .put("alg", ALG)
        .put("n", jwkInt(key.getModulus()))
        .put("e", jwkInt(key.getPublicExponent()))
        .encode();
  }

  /**
   * Parses a public JWK: kty "RSA", alg "RSA-OAEP-256", minimal n and e. Does not check the size:
   * see {@link #modulusBits}.
   *
   * @throws IllegalArgumentException on anything malformed, or when the JWK holds a private part
   */
  public static RSAPublicKey parsePublicJwk(String json) {
    JsonObject jwk = Json.object(json, WHAT);
    checkHeader(jwk);
    if (jwk.containsKey("d")) {
      throw new IllegalArgumentException(WHAT + ": a public key must not contain \"d\"");
    }
    BigInteger n = B64.jwkInteger("n", Json.string(jwk, "n", WHAT));
    BigInteger e = B64.jwkInteger("e", Json.string(jwk, "e", WHAT));
    checkPublic(n, e);
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException(WHAT + ": not a usable RSA public key");
    }
  }

  /**
   * A private JWK as Web Crypto exports one: kty, alg, n, e, d, p, q, dp, dq, qi, key_ops
   * ["decrypt"] and ext true. Key material: never log it.
   */
  public static String privateJwk(RSAPrivateCrtKey key) {
    return new JsonObject()
        .put("kty", "RSA")
        .put("alg", ALG)
        .put("n", jwkInt(key.getModulus()))
        .put("e", jwkInt(key.getPublicExponent()))
        .put("d", jwkInt(key.getPrivateExponent()))
        .put("p", jwkInt(key.getPrimeP()))
        .put("q", jwkInt(key.getPrimeQ()))
        .put("dp", jwkInt(key.getPrimeExponentP()))
        .put("dq", jwkInt(key.getPrimeExponentQ()))
        .put("qi", jwkInt(key.getCrtCoefficient()))
        .put("key_ops", new JsonArray().add("decrypt"))
        .put("ext", true)
        .encode();
  }

  /**
   * Parses a private JWK with all CRT members (as browsers export and require them). The result
   * is an {@link RSAPrivateCrtKey}. Members this format does not use (kid, key_ops, ext) are
   * ignored: key_ops says "decrypt" or "unwrapKey" depending on how a browser made the key.
   *
   * @throws IllegalArgumentException on anything malformed or inconsistent (p * q must equal n)
   */
  public static RSAPrivateKey parsePrivateJwk(String json) {
    JsonObject jwk = Json.object(json, WHAT);
    checkHeader(jwk);
    if (jwk.containsKey("oth")) {
      throw new IllegalArgumentException(WHAT + ": multi-prime keys (\"oth\") are not supported");
    }
    BigInteger n = B64.jwkInteger("n", Json.string(jwk, "n", WHAT));
    BigInteger e = B64.jwkInteger("e", Json.string(jwk, "e", WHAT));
    checkPublic(n, e);
    BigInteger d = B64.jwkInteger("d", Json.string(jwk, "d", WHAT));
    BigInteger[] crt = new BigInteger[CRT_MEMBERS.length];
    for (int i = 0; i < crt.length; i++) {
      crt[i] = B64.jwkInteger(CRT_MEMBERS[i], Json.string(jwk, CRT_MEMBERS[i], WHAT));
    }
    // a key whose parts disagree decrypts to garbage; refuse it here, where the cause is clear
    if (!crt[0].multiply(crt[1]).equals(n) || d.signum() == 0 || d.compareTo(n) >= 0) {
      throw new IllegalArgumentException(WHAT + ": the private members do not match n");
    }
    try {
      return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(
          new RSAPrivateCrtKeySpec(n, e, d, crt[0], crt[1], crt[2], crt[3], crt[4]));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException(WHAT + ": not a usable RSA private key");
    }
  }

  /** The public key that belongs to a CRT private key. */
  public static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /**
   * RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) encryption, e.g. of a 32-byte room key.
   *
   * @throws IllegalArgumentException when the key is under {@link #MIN_MODULUS_BITS} bits (a room
   *     key wrapped under a weak key is as good as published) or the data is too long
   */
  public static byte[] wrap(RSAPublicKey key, byte[] data) {
    if (modulusBits(key) < MIN_MODULUS_BITS) {
      throw new IllegalArgumentException("RSA key too small: " + modulusBits(key) + " bits");
    }
    try {
      Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
      c.init(Cipher.ENCRYPT_MODE, key, oaep(new byte[0]));
      return c.doFinal(data);
    } catch (javax.crypto.IllegalBlockSizeException e) {
      throw new IllegalArgumentException("data too long for RSA-OAEP", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP encryption failed", e);
    }
  }

  /**
   * RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) decryption.
   *
   * @throws GeneralSecurityException when the ciphertext was not made for this key with these
   *     parameters, or has the wrong length
   */
  public static byte[] unwrap(PrivateKey key, byte[] ct) throws GeneralSecurityException {
    if (ct == null) {
      throw new IllegalArgumentException("ciphertext is null");
    }
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.DECRYPT_MODE, key, oaep(new byte[0]));
    return c.doFinal(ct);
  }

  /** Size of the modulus in bits (the server's e2e.minRsaBits compares against this). */
  public static int modulusBits(RSAPublicKey key) {
    return key.getModulus().bitLength();
  }

  /** Sealroom's OAEP parameters; the label is a parameter only so tests can run labelled vectors. */
  static OAEPParameterSpec oaep(byte[] label) {
    return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        label.length == 0 ? PSource.PSpecified.DEFAULT : new PSource.PSpecified(label));
  }

  private static void checkHeader(JsonObject jwk) {
    Json.expect(jwk, "kty", "RSA", WHAT);
    Json.expect(jwk, "alg", ALG, WHAT);
  }

  private static void checkPublic(BigInteger n, BigInteger e) {
    if (!n.testBit(0) || n.bitLength() < 512 || !e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0
        || e.compareTo(n) >= 0) {
      throw new IllegalArgumentException(WHAT + ": n and e do not form an RSA public key");
    }
  }

  private static String jwkInt(BigInteger v) {
    return B64.encode(B64.unsigned(v));
  }
}
