package sealroom.load;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.KeyWrap;
import io.sealroom.client.crypto.MemberKey;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sender's side of an encrypted room, with the SDK's crypto (io.sealroom.client.crypto):
 * uploads E2E keys, establishes the room key (POST e2e/key-id with the key wrapped to the
 * sender's RSA key), then seals each message text with AES-256-GCM and signs it with Ed25519,
 * as the SDK's Sender does. The receivers do not decrypt: the server forwards ciphertext it
 * cannot read, and the tool measures delivery of realistic envelope sizes.
 *
 * <p>Key material is generated once per tool process and uploaded for every sending user:
 * the server cannot tell, and generating an RSA pair and running 600,000 PBKDF2 iterations per
 * user would make the setup of many rooms take minutes.
 */
final class Sealer {
  private static PrivateKeys keys;
  private static JsonObject upload;

  private final byte[] roomKey;
  private final String kid, uid;

  private Sealer(byte[] roomKey, String uid) {
    this.roomKey = roomKey;
    this.kid = RoomKeys.kid(roomKey);
    this.uid = uid;
  }

  /** The PUT /api/v1/e2e/keys body, made once: an RSA pair, an Ed25519 pair, wrapped with PBKDF2. */
  private static synchronized JsonObject upload() {
    if (upload == null) {
      keys = PrivateKeys.generate();
      String wrapped = KeyWrap.wrap("load-test e2e password".toCharArray(), keys.toJson(), KeyWrap.DEFAULT_ITERATIONS);
      upload = new JsonObject().put("publicKey", new JsonObject(keys.publicJwk())).put("privateKey", new JsonObject(wrapped));
      if (keys.signingJwk() != null) upload.put("signingKey", new JsonObject(keys.signingJwk()));
    }
    return upload;
  }

  /** Uploads the keys for each of these users (the same key material for all). */
  static void uploadKeys(SealroomApi api, List<String> tokens, int conc) throws Exception {
    JsonObject body = upload();
    List<String> distinct = tokens.stream().distinct().toList();
    Async.bounded(distinct.size(), conc, i -> Async.of(api.put("/api/v1/e2e/keys", distinct.get(i), body))).get();
  }

  /** Uploads the sender's keys and establishes the room key (blocking). */
  static Sealer establish(SealroomApi api, String token, String room) throws Exception {
    uploadKeys(api, List.of(token), 1);
    return establishAsync(api, token, room).get();
  }

  /** Establishes a fresh room key; the sender's keys must be uploaded already. */
  static CompletableFuture<Sealer> establishAsync(SealroomApi api, String token, String room) {
    upload();
    byte[] raw = RoomKeys.generate();
    Sealer s = new Sealer(raw, userId(token));
    JsonObject body = new JsonObject().put("kid", s.kid).put("key", new JsonObject(MemberKey.wrap(raw, keys.rsaPublic())));
    return Async.of(api.post("/api/v1/rooms/" + room + "/e2e/key-id", token, body)).thenApply(r -> s);
  }

  String kid() { return kid; }

  /** A send frame with the text sealed and signed for this room, sender and cid. */
  String sendFrame(String room, String cid, String text) {
    String plaintext = new JsonObject().put("text", text).encode();
    Envelope.Sealed e = Envelope.seal(roomKey, room, uid, cid, plaintext, keys.signingPrivate());
    return "{\"op\":\"send\",\"room\":\"" + room + "\",\"cid\":\"" + cid + "\",\"e2e\":" + e.toJson() + "}";
  }

  /**
   * Seals and signs n messages ahead of the run (cids e<room>-0 .. e<room>-(n-1)), in parallel:
   * about 50-100 us of CPU each, which on the send path would make the tool the bottleneck.
   */
  byte[][] preseal(String room, int roomIndex, int n, String text) {
    byte[][] f = new byte[n][];
    java.util.stream.IntStream.range(0, n).parallel()
        .forEach(k -> f[k] = sendFrame(room, "e" + roomIndex + "-" + k, text).getBytes(StandardCharsets.UTF_8));
    return f;
  }

  /** The user id: the sub claim of the token. */
  private static String userId(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).getString("sub");
  }
}
