package io.sealroom.users;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Persistence of accounts. Futures complete on the caller's context. Username uniqueness is
 * enforced by the store (unique index), not by a prior read.
 */
public interface UserStore {
  /** Fails with {@code username_taken} when the (lower-case) username exists. */
  Future<Void> insert(User user);

  /** The user or null. */
  Future<User> findByUsername(String username);

  /** The user or null. */
  Future<User> findById(String id);

  Future<List<User>> findByIds(Collection<String> ids);

  /** Epoch millis before which the user's tokens are refused (0 when never set or no such user). */
  Future<Long> tokensValidAfter(String id);

  /** Refuses the user's tokens issued before validAfterMs from now on. */
  Future<Void> endSessionsBefore(String id, long validAfterMs);

  /** Replaces the password hash if it is still {@code expected} (a concurrent change wins). */
  Future<Void> updatePasswordHash(String id, String expected, String hash);
}
