package io.sealroom.keys;

import io.sealroom.common.ApiException;
import io.sealroom.common.Base64Url;
import io.sealroom.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The encrypted verified lists of docs/protocol.md "The verified list". The server checks the
 * stored form's shape, that it is sealed to the caller's current key version, and the revision
 * a write read; it never sees whom a user verified (the plaintext exists only in clients).
 */
public final class VerifiedLists {
  /** Characters of {@code key.ct}: an RSA-OAEP ciphertext of up to 8192-bit keys fits with room. */
  static final int MAX_KEY_CT = 2048;
  /** Characters of {@code ct}; the REST body limit (256 KiB) holds first for whole requests. */
  static final int MAX_CT = 262144;
  private static final int IV_BYTES = 12;

  private final VerifiedStore store;
  private final KeyService keys;

  public VerifiedLists(VerifiedStore store, KeyService keys) {
    this.store = store;
    this.keys = keys;
  }

  /** The caller's stored list ({@code blob} null and {@code rev} 0 when there is none). */
  public Future<VerifiedStore.Stored> get(String uid) {
    return keys.requireEnabled().compose(v -> store.get(uid));
  }

  /**
   * Stores the caller's list if {@code rev} is the stored revision (409 conflict with the
   * stored {@code rev} otherwise) and the blob is sealed to their current version (409
   * stale_key with the current {@code ukid} otherwise). Answers the new revision.
   */
  public Future<Long> put(String uid, long rev, JsonObject blob) {
    try {
      if (rev < 0) {
        throw ApiException.invalid("rev", "must be a revision read from GET /api/v1/me/verified");
      }
      checkShape(blob);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return keys.own(uid).compose(own -> {
      if (!own.ukid().equals(blob.getString("ukid"))) {
        return Future.failedFuture(new ApiException(ErrorCode.STALE_KEY,
            "blob.ukid is not your current key version: seal the list to your current keys",
            new JsonObject().put("ukid", own.ukid())));
      }
      return store.put(uid, rev, blob);
    }).compose(w -> w.written() ? Future.succeededFuture(w.rev())
        : Future.failedFuture(new ApiException(ErrorCode.CONFLICT,
            "the verified list changed meanwhile: read it again, merge and write again",
            new JsonObject().put("rev", w.rev()))));
  }

  /** The stored form's shape (see the class comment); only these fields are kept. */
  static void checkShape(JsonObject blob) {
    if (blob == null) {
      throw ApiException.invalid("blob", "is required");
    }
    if (!(blob.getValue("v") instanceof Number v) || v.doubleValue() != 1) {
      throw ApiException.invalid("blob.v", "must be 1");
    }
    // a ukid has the shape of a kid: 16 base64url characters of a SHA-256
    KeyShapes.checkKid(string(blob, "ukid", "blob.ukid"), "blob.ukid");
    Object key = blob.getValue("key");
    if (!(key instanceof JsonObject k)) {
      throw ApiException.invalid("blob.key", "must be an object");
    }
    if (!"RSA-OAEP-256".equals(k.getValue("alg"))) {
      throw ApiException.invalid("blob.key.alg", "must be RSA-OAEP-256");
    }
    base64(k, "ct", "blob.key.ct", MAX_KEY_CT, false);
    byte[] iv = base64(blob, "iv", "blob.iv", 64, false);
    if (iv.length != IV_BYTES) {
      throw ApiException.invalid("blob.iv", "must be 12 bytes");
    }
    base64(blob, "ct", "blob.ct", MAX_CT, true);
    for (String f : blob.fieldNames()) {
      if (!java.util.Set.of("v", "ukid", "key", "iv", "ct").contains(f)) {
        throw ApiException.invalid("blob." + f, "is not a field of the verified list");
      }
    }
    for (String f : k.fieldNames()) {
      if (!f.equals("alg") && !f.equals("ct")) {
        throw ApiException.invalid("blob.key." + f, "is not a field of the verified list");
      }
    }
  }

  private static String string(JsonObject o, String name, String field) {
    Object v = o.getValue(name);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw ApiException.invalid(field, "must be a non-empty string");
    }
    return s;
  }

  /** A base64url field of at most maxChars: longer is too_large for the list itself, else invalid. */
  private static byte[] base64(JsonObject o, String name, String field, int maxChars, boolean tooLarge) {
    String s = string(o, name, field);
    if (s.length() > maxChars && !tooLarge) {
      throw ApiException.invalid(field, "over " + maxChars + " characters");
    }
    if (s.length() > maxChars) {
      throw new ApiException(ErrorCode.TOO_LARGE, field + ": over " + maxChars + " characters",
          new JsonObject().put("field", field));
    }
    byte[] b = Base64Url.decode(s);
    if (b == null) {
      throw ApiException.invalid(field, "must be unpadded base64url");
    }
    return b;
  }
}
