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

  /** When the user's sessions were last ended (validAfter 0 when never or no such user). */
  Future<SessionCutoff> sessionCutoff(String id);

  /** From now on refuses the user's tokens issued before the cut-off, except those of its kept session. */
  Future<Void> endSessions(String id, SessionCutoff cutoff);

  /** Tokens issued before validAfterMs are refused, except those of the login session keepSid. */
  record SessionCutoff(long validAfterMs, String keepSid) {
    public boolean admits(long issuedAtMs, String sid) {
      return issuedAtMs >= validAfterMs || (keepSid != null && !keepSid.isEmpty() && keepSid.equals(sid));
    }
  }

  /** Replaces the password hash if it is still {@code expected} (a concurrent change wins). */
  Future<Void> updatePasswordHash(String id, String expected, String hash);
}
