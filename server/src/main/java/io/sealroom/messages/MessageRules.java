package io.sealroom.messages;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.rooms.Room;
import io.sealroom.common.Base64Url;

/**
 * Shape and policy checks of a message before anything is stored: cid, text length, the e2e
 * envelope's fields (base64url, sizes) and the room's encryption rules. Never looks inside ct.
 */
final class MessageRules {
  static final int MAX_CID = 64;
  static final int MAX_TEXT = 16_384;
  static final int MAX_CT = 65_536;
  static final int MAX_KID = 64;
  static final int IV_BYTES = 12;
  static final int SIG_BYTES = 64;
  static final int UKID_CHARS = 16;
  /** Files one message may carry. */
  public static final int MAX_FILES = 10;

  private MessageRules() {
  }

  /** Checks what can be checked without the room. */
  static void checkShape(SendRequest req) {
    String cid = req.cid();
    if (cid == null || cid.isEmpty()) {
      throw ApiException.invalid("cid", "is required");
    }
    if (cid.length() > MAX_CID || !isCidChars(cid)) {
      throw ApiException.invalid("cid", "must be 1 to " + MAX_CID + " characters of A-Z a-z 0-9 . _ : -");
    }
    if (req.text() != null && req.e2e() != null) {
      throw ApiException.invalid("text", "send either text or e2e, not both");
    }
    checkFiles(req.files());
    if (req.text() == null && req.e2e() == null) {
      if (!req.files().isEmpty()) {
        return; // a plain message may be only its files
      }
      throw ApiException.invalid("text", "text or e2e is required");
    }
    if (req.text() != null) {
      if (req.text().isBlank()) {
        throw ApiException.invalid("text", "must not be empty");
      }
      if (req.text().length() > MAX_TEXT) {
        throw new ApiException(ErrorCode.TOO_LARGE, "text is longer than " + MAX_TEXT + " characters");
      }
    } else {
      checkE2e(req.e2e());
    }
  }

  private static void checkFiles(java.util.List<String> files) {
    if (files.size() > MAX_FILES) {
      throw ApiException.invalid("files", "at most " + MAX_FILES + " files per message");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String id : files) {
      if (id == null || id.length() != 20 || !isCidChars(id)) {
        throw ApiException.invalid("files", "must be file ids");
      }
      if (!seen.add(id)) {
        throw ApiException.invalid("files", "names a file twice");
      }
    }
  }

  /** [A-Za-z0-9._:-]+ without a regex: this runs for every message sent. */
  static boolean isCidChars(String cid) {
    for (int i = 0; i < cid.length(); i++) {
      char c = cid.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void checkE2e(E2ePayload e) {
    if (e.kid() == null || e.kid().isEmpty() || e.kid().length() > MAX_KID || !Base64Url.isBase64Url(e.kid())) {
      throw ApiException.invalid("e2e.kid", "must be a base64url key id");
    }
    if (e.iv() == null || Base64Url.decodedLength(e.iv()) != IV_BYTES) {
      throw ApiException.invalid("e2e.iv", "must be " + IV_BYTES + " bytes of unpadded base64url");
    }
    if (e.ct() == null || e.ct().isEmpty()) {
      throw ApiException.invalid("e2e.ct", "is required");
    }
    if (e.ct().length() > MAX_CT) {
      throw new ApiException(ErrorCode.TOO_LARGE, "e2e.ct is longer than " + MAX_CT + " characters");
    }
    if (Base64Url.decodedLength(e.ct()) < 16) {
      throw ApiException.invalid("e2e.ct", "must be unpadded base64url of at least the 16-byte GCM tag");
    }
    if (e.sig() != null && Base64Url.decodedLength(e.sig()) != SIG_BYTES) {
      throw ApiException.invalid("e2e.sig", "must be a " + SIG_BYTES + "-byte Ed25519 signature in unpadded base64url");
    }
    if (e.ukid() != null && (e.ukid().length() != UKID_CHARS || !Base64Url.isBase64Url(e.ukid()))) {
      throw ApiException.invalid("e2e.ukid", "must be the " + UKID_CHARS + "-character id of a key version");
    }
  }

  /** Checks the message against the room's encryption state. */
  static void checkAgainstRoom(SendRequest req, Room room, boolean allowUnencrypted) {
    if (req.e2e() == null) {
      if (room.encrypted() && !allowUnencrypted) {
        throw new ApiException(ErrorCode.PLAINTEXT_NOT_ALLOWED, "this room is encrypted: send e2e, not text");
      }
      return;
    }
    if (!room.encrypted()) {
      throw new ApiException(ErrorCode.ENCRYPTION_NOT_ALLOWED, "this room is not encrypted: send text");
    }
    if (room.e2eKeyId() == null || !room.e2eKeyId().equals(req.e2e().kid())) {
      throw new ApiException(ErrorCode.STALE_KEY, "e2e.kid is not the room's current key id",
          new io.vertx.core.json.JsonObject().put("kid", room.e2eKeyId()));
    }
  }
}
