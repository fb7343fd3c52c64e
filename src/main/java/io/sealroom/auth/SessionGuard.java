package io.sealroom.auth;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses tokens issued before the user's sessions were ended (a key reset ends them). The
 * cut-off per user is cached on each node, loaded from the store on first use and updated by
 * {@link #ended} (called on every node through the event bus). Thread-safe.
 */
public final class SessionGuard {
  private static final int MAX_CACHED = 200_000;
  private final UserStore users;
  private final Map<String, Long> validAfter = new ConcurrentHashMap<>();
  private final java.util.function.BiConsumer<String, Long> broadcast;

  /** broadcast tells every node (this one included) that a user's sessions ended. */
  public SessionGuard(UserStore users, java.util.function.BiConsumer<String, Long> broadcast) {
    this.users = users;
    this.broadcast = broadcast;
  }

  /** Ends every session of the user that exists now: their tokens are refused and their sockets closed. */
  public Future<Void> endAll(String uid) {
    long now = System.currentTimeMillis();
    return users.endSessionsBefore(uid, now).map(v -> {
      ended(uid, now);
      broadcast.accept(uid, now);
      return null;
    });
  }

  /** The user, when their token was issued after their sessions were last ended. */
  public Future<AuthUser> check(AuthUser user) {
    Long cached = validAfter.get(user.id());
    Future<Long> cutoff = cached != null ? Future.succeededFuture(cached)
        : users.tokensValidAfter(user.id()).map(ms -> {
          if (validAfter.size() >= MAX_CACHED) {
            validAfter.clear();
          }
          validAfter.merge(user.id(), ms, Math::max);
          return ms;
        });
    return cutoff.compose(ms -> user.issuedAtMs() >= ms ? Future.succeededFuture(user)
        : Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "this session has ended, log in again")));
  }

  /** Tokens of the user issued before validAfterMs are refused from now on. */
  public void ended(String uid, long validAfterMs) {
    validAfter.merge(uid, validAfterMs, Math::max);
  }
}
