package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.json.DecodeException;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a stored message (msg frame or history entry) into a {@link ChatMessage}: plain text
 * and events as they are; an encrypted one decrypted with the key of its kid (AAD rid|uid|cid)
 * and its signature checked against the sender's key version that made it, its files read from
 * the descriptors inside the plaintext (with the server's file objects to compare). Answers null when
 * the key is not there yet (the caller holds the message). A user.keys.changed event makes the
 * sender's versions be read again for what follows it. Engine-confined.
 */
final class Opener {
  private final KeyAgent keys;
  private final Verifier verifier;
  private final Consumer<ChatMessage> keysChanged;

  /** @param keysChanged told of every user.keys.changed event this opens (history included) */
  Opener(KeyAgent keys, Verifier verifier, Consumer<ChatMessage> keysChanged) {
    this.keys = keys;
    this.verifier = verifier;
    this.keysChanged = keysChanged;
  }

  /** The message to deliver, or null to hold it until a key arrives. */
  ChatMessage open(JsonObject m) {
    JsonObject e2e = m.getJsonObject("e2e");
    if (e2e == null) {
      ChatMessage plain = Wire.plain(m);
      if (plain.isEvent() && plain.event().is(RoomEvent.USER_KEYS_CHANGED) && plain.event().user() != null) {
        verifier.forget(plain.event().user().id());
        keysChanged.accept(plain);
      }
      return plain;
    }
    String rid = m.getString("room");
    String kid = e2e.getString("kid");
    KeyAgent.Fate fate = keys.fate(rid, kid);
    if (fate == KeyAgent.Fate.HOLD) {
      return null;
    }
    if (fate == KeyAgent.Fate.UNAVAILABLE) {
      return Wire.unreadable(m, ChatMessage.State.KEY_LOST);
    }
    String uid = m.getJsonObject("from").getString("id");
    String plaintext = decrypt(m, keys.key(rid, kid), uid, e2e);
    if (plaintext == null) {
      return Wire.unreadable(m, ChatMessage.State.UNDECRYPTABLE);
    }
    Envelope.Verification v = verifier.check(rid, uid, m.getJsonObject("from").getString("username"),
        m.getString("cid"), e2e, m.getLong("ts", 0L));
    JsonObject content = content(plaintext);
    Object text = content.getValue("text");
    Object files = content.getValue("files");
    return Wire.opened(m, text instanceof String ? (String) text : null,
        files instanceof JsonArray ? FileDescriptors.encrypted((JsonArray) files, m.getJsonArray("files")) : List.of(),
        v);
  }

  private static String decrypt(JsonObject m, byte[] key, String uid, JsonObject e2e) {
    try {
      return Envelope.open(key, m.getString("room"), uid, m.getString("cid"), e2e.getString("kid"),
          e2e.getString("iv"), e2e.getString("ct"), e2e.getString("sig"), null).plaintextJson();
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /** The plaintext's JSON object; an empty one when it is not an object. */
  private static JsonObject content(String plaintextJson) {
    try {
      return new JsonObject(plaintextJson);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
