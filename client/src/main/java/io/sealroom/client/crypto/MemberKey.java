package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * The member key of DESIGN.md (the {@code key} of the e2e routes): {@code {kid, alg:"RSA-OAEP-256",
 * ct}}, ct = RSA-OAEP (SHA-256, MGF1-SHA-256) of the raw room key under the member's publicKey.
 * Opening one checks the kid against the key inside, so a member cannot hand out a key that is not
 * the room's. Stateless and thread-safe.
 */
public final class MemberKey {
  private static final String WHAT = "member key";

  private MemberKey() {
  }

  /** Wraps a room key for the owner of this public key. */
  public static String wrap(byte[] roomKey, RSAPublicKey memberPublicKey) {
    String kid = RoomKeys.kid(roomKey);
    return new JsonObject().put("kid", kid).put("alg", RsaKeys.ALG)
        .put("ct", B64.encode(RsaKeys.wrap(memberPublicKey, roomKey))).encode();
  }

  /**
   * Unwraps a member key and checks it: the room key must be 32 bytes, its kid must equal the
   * JSON's kid and, when given, the kid the room announces.
   *
   * @param expectedKidOrNull the room's e2eKeyId (or the history entry's kid); null skips that check
   * @return the raw room key. Key material.
   * @throws GeneralSecurityException when ct does not decrypt with this private key
   * @throws IllegalArgumentException when the JSON is malformed or a kid does not match
   */
  public static byte[] unwrap(String memberKeyJson, PrivateKey rsaPrivate, String expectedKidOrNull)
      throws GeneralSecurityException {
    JsonObject o = Json.object(memberKeyJson, WHAT);
    Json.expect(o, "alg", RsaKeys.ALG, WHAT);
    String kid = Json.string(o, "kid", WHAT);
    byte[] key = RsaKeys.unwrap(rsaPrivate, Json.bytes(o, "ct", WHAT));
    if (key.length != RoomKeys.KEY_BYTES || !RoomKeys.kid(key).equals(kid)
        || (expectedKidOrNull != null && !expectedKidOrNull.equals(kid))) {
      Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException(WHAT + ": the key inside does not match the room's kid");
    }
    return key;
  }
}
