package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The user's Ed25519 signing key: the signingKey JWK of DESIGN.md ({@code {kty:"OKP",
 * crv:"Ed25519", x}}), its private JWK inside the wrapped private key, and message signatures.
 * Keys are JDK Ed25519 keys (Java 15+); signing and verifying use BouncyCastle's Ed25519, which
 * is several times faster. Thread-safe (a new signer per call; expanded keys shared under a lock).
 */
public final class SigningKeys {
  /** Length of a raw public key, a private seed and (twice) a signature. */
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private static final String WHAT = "Ed25519 JWK";
  // DER prefixes of the JDK's X.509 (SPKI) and PKCS#8 encodings; the raw key follows them
  private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
  private static final byte[] SELF_TEST = "sealroom key check".getBytes(StandardCharsets.US_ASCII);

  private SigningKeys() {
  }

  /** A new Ed25519 key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /** {@code {"kty":"OKP","crv":"Ed25519","x":..}} with x the raw 32-byte public key. */
  public static String publicJwk(PublicKey key) {
    return new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", B64.encode(rawPublic(key)))
        .encode();
  }

  /**
   * Parses a public JWK (kty "OKP", crv "Ed25519", a 32-byte x; alg, when present, "EdDSA" or
   * "Ed25519").
   *
   * @throws IllegalArgumentException on anything malformed, or when the JWK holds a private part
   */
  public static PublicKey parsePublicJwk(String json) {
    JsonObject jwk = Json.object(json, WHAT);
    checkHeader(jwk);
    if (jwk.containsKey("d")) {
      throw new IllegalArgumentException(WHAT + ": a public key must not contain \"d\"");
    }
    return publicFromRaw(Json.bytes(jwk, "x", WHAT));
  }

  /** The public JWK plus "d", the raw 32-byte private seed. Key material: never log it. */
  public static String privateJwk(PrivateKey key, PublicKey publicKey) {
    checkPair(key, publicKey);
    byte[] seed = rawPrivate(key);
    try {
      return new JsonObject().put("kty", "OKP").put("crv", "Ed25519")
          .put("x", B64.encode(rawPublic(publicKey))).put("d", B64.encode(seed)).encode();
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Parses a private JWK. x is required (RFC 8037) and must belong to d.
   *
   * @throws IllegalArgumentException on anything malformed or when x and d do not match
   */
  public static PrivateKey parsePrivateJwk(String json) {
    JsonObject jwk = Json.object(json, WHAT);
    checkHeader(jwk);
    PublicKey pub = publicFromRaw(Json.bytes(jwk, "x", WHAT));
    byte[] seed = Json.bytes(jwk, "d", WHAT);
    try {
      PrivateKey key = privateFromRaw(seed);
      checkPair(key, pub);
      return key;
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Ed25519 signature (64 bytes) of the message. BouncyCastle's implementation signs several
   * times faster than the JDK's (the same RFC 8032 signatures: Ed25519 is deterministic); the
   * expanded key of each JDK key is kept while the key is in use.
   */
  public static byte[] sign(PrivateKey key, byte[] msg) {
    Ed25519PrivateKeyParameters params;
    synchronized (EXPANDED) {
      params = EXPANDED.get(key);
    }
    if (params == null) {
      byte[] seed = rawPrivate(key);
      try {
        params = new Ed25519PrivateKeyParameters(seed, 0);
        params.generatePublicKey(); // computed once here, not on every signature
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
      synchronized (EXPANDED) {
        EXPANDED.put(key, params);
      }
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, params);
    signer.update(msg, 0, msg.length);
    return signer.generateSignature();
  }

  private static final java.util.Map<PrivateKey, Ed25519PrivateKeyParameters> EXPANDED = new java.util.WeakHashMap<>();

  /**
   * Verifies an Ed25519 signature. A malformed signature (null, wrong length, S not reduced, a
   * bad point) is simply false, never an exception.
   *
   * @throws IllegalArgumentException only when the key is not an Ed25519 public key
   */
  public static boolean verify(PublicKey key, byte[] msg, byte[] sig) {
    if (sig == null || msg == null || sig.length != SIGNATURE_BYTES) {
      return false;
    }
    // BouncyCastle verifies several times faster than the JDK, with the same strict checks
    // (S reduced below the group order, a valid point encoding): the Wycheproof vectors hold it to that
    byte[] raw = rawPublic(key);
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
      verifier.update(msg, 0, msg.length);
      return verifier.verifySignature(sig);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The raw 32-byte public key (the JWK x) of a JDK Ed25519 public key. */
  public static byte[] rawPublic(PublicKey key) {
    return afterPrefix(key.getEncoded(), SPKI_PREFIX, "not an Ed25519 public key");
  }

  /** A JDK public key from the raw 32 bytes. */
  public static PublicKey publicFromRaw(byte[] raw) {
    if (raw == null || raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is " + KEY_BYTES + " bytes");
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable Ed25519 public key");
    }
  }

  /** The raw 32-byte seed (the JWK d) of a JDK Ed25519 private key. Key material. */
  static byte[] rawPrivate(PrivateKey key) {
    byte[] der = key.getEncoded();
    try {
      return afterPrefix(der, PKCS8_PREFIX, "not an Ed25519 private key");
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /** A JDK private key from the raw 32-byte seed. */
  static PrivateKey privateFromRaw(byte[] seed) {
    if (seed.length != KEY_BYTES) {
      throw new IllegalArgumentException(WHAT + ": \"d\" must be " + KEY_BYTES + " bytes");
    }
    byte[] der = concat(PKCS8_PREFIX, seed);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable Ed25519 private key");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * The JDK cannot derive the public key from a seed, so a pair is checked by signing a fixed
   * message: a mismatched pair would sign messages nobody can verify.
   */
  static void checkPair(PrivateKey key, PublicKey publicKey) {
    if (!verify(publicKey, SELF_TEST, sign(key, SELF_TEST))) {
      throw new IllegalArgumentException(WHAT + ": the private and public keys do not match");
    }
  }

  private static void checkHeader(JsonObject jwk) {
    Json.expect(jwk, "kty", "OKP", WHAT);
    Json.expect(jwk, "crv", "Ed25519", WHAT);
    if (jwk.containsKey("alg")) {
      String alg = Json.string(jwk, "alg", WHAT);
      if (!alg.equals("EdDSA") && !alg.equals("Ed25519")) {
        throw new IllegalArgumentException(WHAT + ": \"alg\" must be \"EdDSA\" or \"Ed25519\"");
      }
    }
  }

  private static byte[] afterPrefix(byte[] der, byte[] prefix, String error) {
    if (der == null || der.length != prefix.length + KEY_BYTES
        || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
      throw new IllegalArgumentException(error);
    }
    return Arrays.copyOfRange(der, prefix.length, der.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
