package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * Turns a stored message (msg frame or history entry) into a {@link ChatMessage}: plain text
 * as is; an encrypted one decrypted with the key of its kid (AAD rid|uid|cid) and its
 * signature checked with the sender's signing key. Answers null when the key is not there
 * yet (the caller holds the message). Engine-confined.
 */
final class Opener {
  private final KeyAgent keys;
  private final SignerCache signers;

  Opener(KeyAgent keys, SignerCache signers) {
    this.keys = keys;
    this.signers = signers;
  }

  /** The message to deliver, or null to hold it until a key arrives. */
  ChatMessage open(JsonObject m) {
    JsonObject e2e = m.getJsonObject("e2e");
    if (e2e == null) {
      return Wire.plain(m);
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
    Envelope.Opened opened = decrypt(m, keys.key(rid, kid), e2e, signers.get(uid));
    if (opened != null && opened.verification() == Envelope.Verification.BAD_SIGNATURE) {
      // the sender may have new keys since we cached theirs
      signers.forget(uid);
      Envelope.Opened again = decrypt(m, keys.key(rid, kid), e2e, signers.get(uid));
      opened = again != null ? again : opened;
    }
    return opened == null ? Wire.unreadable(m, ChatMessage.State.UNDECRYPTABLE)
        : Wire.opened(m, text(opened.plaintextJson()), opened.verification());
  }

  private static Envelope.Opened decrypt(JsonObject m, byte[] key, JsonObject e2e, PublicKey signer) {
    try {
      return Envelope.open(key, m.getString("room"), m.getJsonObject("from").getString("id"), m.getString("cid"),
          e2e.getString("kid"), e2e.getString("iv"), e2e.getString("ct"), e2e.getString("sig"), signer);
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static String text(String plaintextJson) {
    try {
      Object t = new JsonObject(plaintextJson).getValue("text");
      return t instanceof String ? (String) t : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
