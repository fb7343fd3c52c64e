package io.sealroom.keys;

import io.sealroom.common.ApiException;
import io.sealroom.common.Base64Url;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;

/**
 * The shape and limit checks of E2E key material (DESIGN "E2E key formats"): the server
 * checks what it can without being able to read anything; it never sees a private key.
 */
public final class KeyShapes {
  public static final String RSA_ALG = "RSA-OAEP-256";
  public static final String KDF = "PBKDF2-SHA256";
  public static final String WRAP_ALG = "A256GCM";
  static final int MAX_RSA_BITS = 16_384;
  static final int MAX_ITERATIONS = 10_000_000;
  static final int MAX_WRAPPED_CT = 32_768;
  static final int KID_LENGTH = 16;

  private final Config.E2e config;

  public KeyShapes(Config.E2e config) {
    this.config = config;
  }

  public void checkPublicKey(RsaPublicJwk k) {
    byte[] n = Base64Url.decode(k.n());
    byte[] e = Base64Url.decode(k.e());
    if (n == null || n.length == 0) {
      throw ApiException.invalid("publicKey.n", "must be unpadded base64url");
    }
    if (e == null || e.length == 0 || e.length > 8) {
      throw ApiException.invalid("publicKey.e", "must be unpadded base64url of at most 8 bytes");
    }
    BigInteger modulus = new BigInteger(1, n);
    BigInteger exponent = new BigInteger(1, e);
    if (modulus.bitLength() < config.minRsaBits() || modulus.bitLength() > MAX_RSA_BITS) {
      throw ApiException.invalid("publicKey.n", "the modulus must have " + config.minRsaBits() + " to "
          + MAX_RSA_BITS + " bits (has " + modulus.bitLength() + ")");
    }
    if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0 || !modulus.testBit(0)) {
      throw ApiException.invalid("publicKey", "is not an RSA public key (odd modulus, odd exponent >= 3)");
    }
    try {
      KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
    } catch (Exception ex) {
      throw ApiException.invalid("publicKey", "is not a usable RSA public key");
    }
  }

  public void checkWrappedPrivateKey(WrappedPrivateKey w) {
    if (w.v() != 1) {
      throw ApiException.invalid("privateKey.v", "must be 1");
    }
    if (!KDF.equals(w.kdf())) {
      throw ApiException.invalid("privateKey.kdf", "must be " + KDF);
    }
    if (w.iter() < config.minKdfIterations() || w.iter() > MAX_ITERATIONS) {
      throw ApiException.invalid("privateKey.iter", "must be " + config.minKdfIterations() + " to " + MAX_ITERATIONS);
    }
    if (Base64Url.decodedLength(w.salt()) != 16) {
      throw ApiException.invalid("privateKey.salt", "must be 16 bytes of unpadded base64url");
    }
    if (!WRAP_ALG.equals(w.alg())) {
      throw ApiException.invalid("privateKey.alg", "must be " + WRAP_ALG);
    }
    if (Base64Url.decodedLength(w.iv()) != 12) {
      throw ApiException.invalid("privateKey.iv", "must be 12 bytes of unpadded base64url");
    }
    if (w.ct() != null && w.ct().length() > MAX_WRAPPED_CT) {
      throw new ApiException(ErrorCode.TOO_LARGE, "privateKey.ct is longer than " + MAX_WRAPPED_CT + " characters");
    }
    if (Base64Url.decodedLength(w.ct()) < 17) {
      throw ApiException.invalid("privateKey.ct", "must be unpadded base64url of the ciphertext and its 16-byte tag");
    }
  }

  public void checkSigningKey(SigningJwk s) {
    if (Base64Url.decodedLength(s.x()) != 32) {
      throw ApiException.invalid("signingKey.x", "must be the 32-byte Ed25519 public key in unpadded base64url");
    }
  }

  /** A key id: the first 16 characters of base64url(SHA-256(room key)). */
  public static void checkKid(String kid, String field) {
    if (kid == null || kid.length() != KID_LENGTH || !Base64Url.isBase64Url(kid)) {
      throw ApiException.invalid(field, "must be a " + KID_LENGTH + "-character base64url key id");
    }
  }
}
