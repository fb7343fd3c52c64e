package io.sealroom.keys;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;

/**
 * Persistence of users' E2E keys and of when their sessions were last ended. Conditional
 * single-document updates make concurrent uploads safe. Futures complete on the caller's context.
 */
public interface KeyStore {
  /** The user's keys or null. */
  Future<UserKeys> get(String uid);

  /** Public parts of several users' keys (users without keys are absent). */
  Future<Map<String, UserKeys>> getAll(Collection<String> uids);

  /**
   * Stores the keys if the stored ones still have the expected fingerprint ("" for none): one
   * conditional update, so of two different uploads at once only one lands. False otherwise.
   */
  Future<Boolean> put(String uid, UserKeys keys, String expectedFingerprint);

  /**
   * Removes the user's keys and every room key stored for them; the current key version ends
   * (it stays in the history). A new key set stored by {@link #put} with expected fingerprint ""
   * starts a new version.
   */
  Future<Void> reset(String uid);

  /** The user's key versions, oldest first (empty for a user who never had keys or no such user). */
  Future<java.util.List<KeyVersion>> versions(String uid);
}
