package io.sealroom.testing;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verified lists sealed the way docs/protocol.md "The verified list" says, with the JDK, for
 * tests of the server's side: a real RSA key pair whose public half is uploaded, so what the
 * server stores is real ciphertext.
 */
public final class SealedLists {
  private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1",
      MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  private SealedLists() {
  }

  /** A fresh RSA pair; {@link #keysBody} uploads its public half. */
  public static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** A PUT /api/v1/e2e/keys body whose public key is {@code pair}'s. */
  public static JsonObject keysBody(KeyPair pair, int iter) {
    RSAPublicKey k = (RSAPublicKey) pair.getPublic();
    JsonObject pub = new JsonObject().put("kty", "RSA").put("alg", "RSA-OAEP-256")
        .put("n", unsigned(k.getModulus())).put("e", unsigned(k.getPublicExponent()));
    return new JsonObject().put("publicKey", pub).put("privateKey", E2eShapes.wrapped(iter))
        .put("signingKey", E2eShapes.signingJwk());
  }

  /** The stored form of {@code list} for user {@code uid} under key version {@code ukid}. */
  public static JsonObject seal(JsonObject list, KeyPair pair, String uid, String ukid) throws Exception {
    byte[] plain = padded(list);
    byte[] key = E2eShapes.random(32);
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
    rsa.init(Cipher.ENCRYPT_MODE, pair.getPublic(), OAEP);
    byte[] iv = E2eShapes.random(12);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(("sealroom-verified|" + uid + "|" + ukid).getBytes(StandardCharsets.UTF_8));
    return new JsonObject().put("v", 1).put("ukid", ukid)
        .put("key", new JsonObject().put("alg", "RSA-OAEP-256").put("ct", E2eShapes.b64(rsa.doFinal(key))))
        .put("iv", E2eShapes.b64(iv)).put("ct", E2eShapes.b64(gcm.doFinal(plain)));
  }

  /** The list's UTF-8 JSON with {@code pad} spaces up to a multiple of 1024 bytes. */
  static byte[] padded(JsonObject list) {
    JsonObject l = list.copy().put("pad", "");
    int len = l.encode().getBytes(StandardCharsets.UTF_8).length;
    int fill = (1024 - len % 1024) % 1024;
    return l.put("pad", " ".repeat(fill)).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A list naming {@code contactUid} as verified at {@code ukid}. */
  public static JsonObject listOf(String contactUid, String contactUkid) {
    return new JsonObject().put("v", 1).put("contacts", new JsonObject().put(contactUid,
        new JsonObject().put("ukid", contactUkid).put("verified", true).put("at", System.currentTimeMillis())));
  }

  private static String unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return E2eShapes.b64(b);
  }
}
