package io.sealroom.keys;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Persistence of each user's encrypted verified list: one opaque document and its revision. A
 * write names the revision it read, and lands only if that is still the stored one, so two
 * devices writing at once never overwrite each other unseen. A key reset drops the document
 * (and moves the revision on). Futures complete on the caller's context; writes are durable
 * before they complete.
 */
public interface VerifiedStore {
  /** What is stored: {@code blob} null with {@code rev} 0 when nothing ever was. */
  record Stored(long rev, JsonObject blob) {
  }

  /** The outcome of a write: {@code written} with the new revision, or not with the stored one. */
  record Written(boolean written, long rev) {
  }

  Future<Stored> get(String uid);

  /** Stores {@code blob} as revision {@code expectedRev + 1} if {@code expectedRev} is the stored one. */
  Future<Written> put(String uid, long expectedRev, JsonObject blob);
}
