package io.sealroom.store;

import io.sealroom.keys.VerifiedStore;
import io.vertx.core.json.JsonObject;

/**
 * The stored shape of a user's verified list, the same in both engines: the user document's
 * {@code verified} field, {@code {rev, blob}} (blob null after a key reset). Absent means
 * revision 0 and no list.
 */
public final class VerifiedDocs {
  public static final String FIELD = "verified";

  private VerifiedDocs() {
  }

  public static JsonObject doc(long rev, JsonObject blob) {
    return new JsonObject().put("rev", rev).put("blob", blob);
  }

  /** What a user document holds (revision 0 and no list for null or a document without one). */
  public static VerifiedStore.Stored stored(JsonObject userDoc) {
    JsonObject v = userDoc == null ? null : userDoc.getJsonObject(FIELD);
    if (v == null) {
      return new VerifiedStore.Stored(0, null);
    }
    return new VerifiedStore.Stored(v.getLong("rev", 0L), v.getJsonObject("blob"));
  }

  /** The field once a key reset dropped the list: the revision moves on, so older reads conflict. */
  public static JsonObject dropped(JsonObject userDoc) {
    return doc(stored(userDoc).rev() + 1, null);
  }
}
