package io.sealroom.client.crypto;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The encrypted message of DESIGN.md, the {@code e2e} member {@code {kid, iv, ct, sig?}}:
 * ct = AES-256-GCM(room key, iv, UTF-8 JSON plaintext, aad = "rid|uid|cid") and sig = Ed25519 over
 * "rid|uid|cid|kid|iv|ct" (the base64url strings as sent). The aad binds a ciphertext to its room,
 * sender and client id, so the server cannot replay it elsewhere; the signature proves which member
 * wrote it, which the shared room key alone cannot. Stateless and thread-safe.
 */
public final class Envelope {
  private static final char SEPARATOR = '|';

  /** What {@link #open} learned about the signature; reported, never thrown. */
  public enum Verification {
    /** Signed, and the signature verifies under the sender's signing key. */
    VERIFIED,
    /** No signature. Treat as unverified when the sender has a signing key. */
    UNSIGNED,
    /** Signed, but the signature does not verify (or is not base64url): forged or altered. */
    BAD_SIGNATURE,
    /** Signed, but the caller has no signing key for the sender to check it with. */
    NO_SIGNING_KEY,
    /**
     * Signed, but the key-transparency log did not prove the sender's key version that made it
     * (the server could not prove these are the sender's keys): not verified, a warning.
     */
    UNPROVEN_KEY
  }

  /** The wire form: kid, iv, ct, and sig (null when unsigned), all base64url strings. */
  public record Sealed(String kid, String iv, String ct, String sig) {
    public Sealed {
      if (kid == null || iv == null || ct == null) {
        throw new IllegalArgumentException("kid, iv and ct are required");
      }
    }

    /** The {@code e2e} JSON object of a send frame. */
    public String toJson() {
      JsonObject o = new JsonObject().put("kid", kid).put("iv", iv).put("ct", ct);
      if (sig != null) {
        o.put("sig", sig);
      }
      return o.encode();
    }

    /** Reads an {@code e2e} JSON object; sig may be absent. Does not decode the values. */
    public static Sealed fromJson(String json) {
      JsonObject o = Json.object(json, "e2e");
      String sig = o.getValue("sig") == null ? null : Json.string(o, "sig", "e2e");
      return new Sealed(Json.string(o, "kid", "e2e"), Json.string(o, "iv", "e2e"),
          Json.string(o, "ct", "e2e"), sig);
    }

    @Override
    public String toString() {
      // ciphertexts stay out of logs
      return "Sealed[kid=" + kid + ", ct=" + ct.length() + " chars, signed=" + (sig != null) + "]";
    }
  }

  /** A decrypted message; toString leaves the plaintext out of logs. */
  public record Opened(String plaintextJson, Verification verification) {
    @Override
    public String toString() {
      return "Opened[" + verification + ", plaintext=" + plaintextJson.length() + " chars]";
    }
  }

  private Envelope() {
  }

  /**
   * UTF-8 of {@code rid|uid|cid}. The parts may not contain '|' (server ids and client ids never
   * do): that keeps the joined form unambiguous.
   */
  public static byte[] aad(String rid, String senderUid, String cid) {
    return join(rid, senderUid, cid).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8 of {@code rid|uid|cid|kid|iv|ct}, what the signature covers. */
  public static byte[] signedBytes(String rid, String uid, String cid, String kid, String ivB64, String ctB64) {
    StringBuilder sb = join(rid, uid, cid);
    for (String part : new String[] {kid, ivB64, ctB64}) {
      sb.append(SEPARATOR).append(part(part));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Encrypts and, when a signing key is given, signs a message.
   *
   * @param plaintextJson the JSON object to send, e.g. {@code {"text":"hi"}}
   * @throws IllegalArgumentException for a key that is not 32 bytes, a plaintext that is not a
   *     JSON object, or a '|' in rid, uid or cid
   */
  public static Sealed seal(byte[] roomKey, String rid, String uid, String cid, String plaintextJson,
      PrivateKey signingKeyOrNull) {
    Json.object(plaintextJson, "plaintext");
    String kid = RoomKeys.kid(roomKey);
    RoomKeys.Sealed s = RoomKeys.encrypt(roomKey, plaintextJson.getBytes(StandardCharsets.UTF_8),
        aad(rid, uid, cid));
    String iv = B64.encode(s.iv());
    String ct = B64.encode(s.ct());
    String sig = signingKeyOrNull == null ? null
        : B64.encode(SigningKeys.sign(signingKeyOrNull, signedBytes(rid, uid, cid, kid, iv, ct)));
    return new Sealed(kid, iv, ct, sig);
  }

  /**
   * Decrypts a message and reports its signature state.
   *
   * @throws IllegalArgumentException when kid is not the kid of this room key (pick the key by
   *     kid first: old keys read history), or iv/ct are not base64url
   * @throws GeneralSecurityException when decryption fails: wrong key, altered iv or ct, or a
   *     rid/uid/cid other than the ones it was sealed for
   */
  public static Opened open(byte[] roomKey, String rid, String uid, String cid, String kid, String iv,
      String ct, String sigOrNull, PublicKey senderSigningKeyOrNull) throws GeneralSecurityException {
    if (kid == null || !kid.equals(RoomKeys.kid(roomKey))) {
      throw new IllegalArgumentException("the message's kid is not the kid of this room key");
    }
    byte[] plain = RoomKeys.decrypt(roomKey, B64.decode(iv), B64.decode(ct), aad(rid, uid, cid));
    return new Opened(new String(plain, StandardCharsets.UTF_8),
        verification(rid, uid, cid, kid, iv, ct, sigOrNull, senderSigningKeyOrNull));
  }

  /** {@link #open} for a {@link Sealed} as read from a frame. */
  public static Opened open(byte[] roomKey, String rid, String uid, String cid, Sealed e2e,
      PublicKey senderSigningKeyOrNull) throws GeneralSecurityException {
    return open(roomKey, rid, uid, cid, e2e.kid(), e2e.iv(), e2e.ct(), e2e.sig(), senderSigningKeyOrNull);
  }

  /**
   * The state of a message's signature under {@code key} (the sender's signing key of the key
   * version that made it), without decrypting: a caller that picks the key after opening the
   * message (by the message's ukid or its time) checks it with this.
   */
  public static Verification verify(String rid, String uid, String cid, String kid, String iv, String ct,
      String sigOrNull, PublicKey senderSigningKeyOrNull) {
    return verification(rid, uid, cid, kid, iv, ct, sigOrNull, senderSigningKeyOrNull);
  }

  private static Verification verification(String rid, String uid, String cid, String kid, String iv,
      String ct, String sig, PublicKey key) {
    if (sig == null) {
      return Verification.UNSIGNED;
    }
    if (key == null) {
      return Verification.NO_SIGNING_KEY;
    }
    if (!B64.isValid(sig)) {
      return Verification.BAD_SIGNATURE;
    }
    boolean ok = SigningKeys.verify(key, signedBytes(rid, uid, cid, kid, iv, ct), B64.decode(sig));
    return ok ? Verification.VERIFIED : Verification.BAD_SIGNATURE;
  }

  private static StringBuilder join(String rid, String uid, String cid) {
    return new StringBuilder().append(part(rid)).append(SEPARATOR).append(part(uid))
        .append(SEPARATOR).append(part(cid));
  }

  private static String part(String s) {
    if (s == null || s.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("envelope fields are required and may not contain '|'");
    }
    return s;
  }
}
