package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * The stored form of the verified list (docs/protocol.md "The verified list"):
 * {@code {"v":1,"ukid","key":{"alg":"RSA-OAEP-256","ct"},"iv","ct"}}. Each write has a fresh
 * 32-byte list key, wrapped with RSA-OAEP-256 to the user's own current public key, so any
 * device that unlocked the private key reads it and the server cannot; the plaintext is sealed
 * with AES-256-GCM under the AAD {@code sealroom-verified|<uid>|<ukid>}, which binds the blob
 * to its owner and key version (a blob moved to another user or version does not open).
 * Stateless and thread-safe.
 */
public final class VerifiedBlob {
  public static final int VERSION = 1;
  private static final String WHAT = "verified list";

  private VerifiedBlob() {
  }

  /** The AAD of a user's list under a key version. */
  public static byte[] aad(String uid, String ukid) {
    return ("sealroom-verified|" + uid + "|" + ukid).getBytes(StandardCharsets.UTF_8);
  }

  /** Seals the plaintext (already padded) for the owner {@code uid} of key version {@code ukid}. */
  public static String seal(String plaintext, String uid, String ukid, RSAPublicKey own) {
    byte[] key = RoomKeys.generate();
    try {
      RoomKeys.Sealed s = RoomKeys.encrypt(key, plaintext.getBytes(StandardCharsets.UTF_8), aad(uid, ukid));
      JsonObject wrapped = new JsonObject().put("alg", RsaKeys.ALG).put("ct", B64.encode(RsaKeys.wrap(own, key)));
      return new JsonObject().put("v", VERSION).put("ukid", ukid).put("key", wrapped)
          .put("iv", B64.encode(s.iv())).put("ct", B64.encode(s.ct())).encode();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Opens a blob of {@code uid}'s version {@code ukid}.
   *
   * @return the plaintext JSON
   * @throws GeneralSecurityException when the list key does not unwrap or the tag does not
   *     verify (altered, or sealed for another user or version)
   * @throws IllegalArgumentException when the blob is malformed or names another version
   */
  public static String open(String blobJson, String uid, String ukid, PrivateKey own)
      throws GeneralSecurityException {
    JsonObject b = Json.object(blobJson, WHAT);
    if (Json.integer(b, "v", WHAT) != VERSION) {
      throw new IllegalArgumentException(WHAT + ": unsupported version");
    }
    if (!ukid.equals(Json.string(b, "ukid", WHAT))) {
      throw new IllegalArgumentException(WHAT + ": sealed for another key version");
    }
    JsonObject k = Json.object(b, "key", WHAT);
    Json.expect(k, "alg", RsaKeys.ALG, WHAT);
    byte[] key = RsaKeys.unwrap(own, Json.bytes(k, "ct", WHAT));
    try {
      if (key.length != RoomKeys.KEY_BYTES) {
        throw new GeneralSecurityException(WHAT + ": the list key is not 32 bytes");
      }
      byte[] plain = RoomKeys.decrypt(key, Json.bytes(b, "iv", WHAT), Json.bytes(b, "ct", WHAT), aad(uid, ukid));
      return new String(plain, StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
