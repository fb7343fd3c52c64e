package io.sealroom.store;

import io.sealroom.keys.KeyVersion;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored shape of a user's key versions, the same in both engines: the user document's
 * {@code e2eVersions} array, oldest first, of {@code {ukid, publicKey, signingKey?, createdAt,
 * endedAt?}}. Users whose keys were set before versions were kept have none stored: their current
 * keys count as one open version since their last upload.
 */
public final class KeyVersionDocs {
  public static final String FIELD = "e2eVersions";

  private KeyVersionDocs() {
  }

  /** The version a new key set starts. */
  public static JsonObject version(UserKeys k) {
    JsonObject pub = Docs.e2e(k);
    JsonObject v = new JsonObject().put("ukid", k.ukid()).put("publicKey", pub.getJsonObject("publicKey"));
    if (pub.getJsonObject("signingKey") != null) {
      v.put("signingKey", pub.getJsonObject("signingKey"));
    }
    return v.put("createdAt", k.updatedAt());
  }

  /** The versions of a user document (see the class comment for documents without any stored). */
  public static List<KeyVersion> versions(JsonObject userDoc) {
    List<KeyVersion> out = new ArrayList<>();
    if (userDoc == null) {
      return out;
    }
    for (Object o : userDoc.getJsonArray(FIELD, new JsonArray())) {
      if (o instanceof JsonObject v) {
        out.add(toVersion(v));
      }
    }
    UserKeys current = Docs.toKeys(userDoc.getJsonObject("e2e"));
    if (current != null && (out.isEmpty() || !out.get(out.size() - 1).current())) {
      out.add(toVersion(version(current)));
    }
    return out;
  }

  /**
   * The {@code e2eVersions} array once the user's current version ended at {@code now}: the open
   * version gets its end (and is first written when it was never stored).
   */
  public static JsonArray ended(JsonObject userDoc, long now) {
    JsonArray stored = userDoc.getJsonArray(FIELD, new JsonArray()).copy();
    int last = stored.size() - 1;
    if (last >= 0 && !stored.getJsonObject(last).containsKey("endedAt")) {
      stored.getJsonObject(last).put("endedAt", now);
      return stored;
    }
    UserKeys current = Docs.toKeys(userDoc.getJsonObject("e2e"));
    if (current != null) {
      stored.add(version(current).put("endedAt", now));
    }
    return stored;
  }

  private static KeyVersion toVersion(JsonObject v) {
    JsonObject pub = v.getJsonObject("publicKey");
    JsonObject sig = v.getJsonObject("signingKey");
    return new KeyVersion(v.getString("ukid"), new RsaPublicJwk(pub.getString("n"), pub.getString("e")),
        sig == null ? null : new SigningJwk(sig.getString("x")), v.getLong("createdAt", 0L), v.getLong("endedAt"));
  }
}
