package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wrapped private key of DESIGN.md, the only form in which private keys reach the server:
 * {@code {"v":1,"kdf":"PBKDF2-SHA256","iter":..,"salt":..,"alg":"A256GCM","iv":..,"ct":..}}, ct =
 * AES-256-GCM (no aad) under PBKDF2-HMAC-SHA256(UTF-8 password, salt, iter, 256 bits) of the
 * private keys JSON {@code {"enc":<RSA JWK>,"sig":<Ed25519 JWK>?}}.
 *
 * <p>Both directions run the default 600,000 PBKDF2 iterations in 0.2 to 1 s depending on the
 * CPU: call them off any event loop. Stateless and thread-safe.
 */
public final class KeyWrap {
  public static final int DEFAULT_ITERATIONS = 600_000;
  public static final int VERSION = 1;
  public static final String KDF = "PBKDF2-SHA256";
  public static final String ALG = "A256GCM";
  public static final int SALT_BYTES = 16;

  private static final String WHAT = "wrapped private key";
  private static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyWrap() {
  }

  /**
   * Wraps the private keys JSON under the password.
   *
   * @param password not empty; the caller may clear it afterwards
   * @param privateKeysJson {@code {"enc":{..},"sig":{..}?}}, as {@link PrivateKeys#toJson()} makes
   * @param iterations PBKDF2 iterations; the server refuses fewer than its e2e.minKdfIterations
   */
  public static String wrap(char[] password, String privateKeysJson, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    JsonObject keys = Json.object(privateKeysJson, "private keys");
    Json.object(keys, "enc", "private keys");
    byte[] salt = random(SALT_BYTES);
    byte[] iv = random(RoomKeys.IV_BYTES);
    byte[] plain = privateKeysJson.getBytes(StandardCharsets.UTF_8);
    byte[] key = derive(password, salt, iterations);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(RoomKeys.TAG_BITS, iv));
      byte[] ct = c.doFinal(plain);
      return new JsonObject().put("v", VERSION).put("kdf", KDF).put("iter", iterations)
          .put("salt", B64.encode(salt)).put("alg", ALG).put("iv", B64.encode(iv)).put("ct", B64.encode(ct))
          .encode();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens a wrapped private key.
   *
   * @return the private keys JSON {@code {"enc":..,"sig":..?}}. Key material: never log it.
   * @throws WrongPasswordException when the tag does not verify
   * @throws IllegalArgumentException when the wrapped JSON is malformed (wrong v, kdf or alg,
   *     salt not 16 bytes, iv not 12 bytes, bad base64url, a non-integer iter)
   */
  public static String unwrap(char[] password, String wrappedJson) throws WrongPasswordException {
    JsonObject w = Json.object(wrappedJson, WHAT);
    if (Json.integer(w, "v", WHAT) != VERSION) {
      throw new IllegalArgumentException(WHAT + ": unsupported version");
    }
    Json.expect(w, "kdf", KDF, WHAT);
    Json.expect(w, "alg", ALG, WHAT);
    int iterations = Json.integer(w, "iter", WHAT);
    if (iterations < 1) {
      throw new IllegalArgumentException(WHAT + ": \"iter\" must be positive");
    }
    byte[] salt = Json.bytes(w, "salt", WHAT);
    byte[] iv = Json.bytes(w, "iv", WHAT);
    byte[] ct = Json.bytes(w, "ct", WHAT);
    if (salt.length != SALT_BYTES || iv.length != RoomKeys.IV_BYTES || ct.length < RoomKeys.TAG_BITS / 8) {
      throw new IllegalArgumentException(WHAT + ": salt must be 16 bytes, iv 12 bytes, ct at least 16 bytes");
    }
    byte[] key = derive(password, salt, iterations);
    byte[] plain = null;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(RoomKeys.TAG_BITS, iv));
      plain = c.doFinal(ct);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new WrongPasswordException();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /** The 256-bit wrapping key; refuses an empty password. */
  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the E2E password is empty");
    }
    return deriveKey(password, salt, iterations, KEY_BYTES);
  }

  /**
   * PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes, which is what a browser derives from
   * TextEncoder output. The JDK encodes the chars as UTF-8 itself but would silently turn a lone
   * surrogate into '?', giving a password that unlocks nowhere else, so such passwords are
   * refused first.
   */
  static byte[] deriveKey(char[] password, byte[] salt, int iterations, int bytes) {
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(CharBuffer.wrap(password))) {
      throw new IllegalArgumentException("the E2E password is not valid Unicode text");
    }
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
