package io.sealroom.auth;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses tokens issued before the user's sessions were ended (a key reset ends every session
 * of the user but the one that asked for it). The cut-off and the kept session per user are
 * cached on each node, loaded from the store on first use and updated by {@link #ended}
 * (called on every node through the event bus). Thread-safe.
 */
public final class SessionGuard {
  private static final int MAX_CACHED = 200_000;
  private final UserStore users;
  private final Map<String, UserStore.SessionCutoff> cutoffs = new ConcurrentHashMap<>();
  private final java.util.function.BiConsumer<String, UserStore.SessionCutoff> broadcast;

  /** broadcast tells every node (this one included) that a user's sessions ended. */
  public SessionGuard(UserStore users, java.util.function.BiConsumer<String, UserStore.SessionCutoff> broadcast) {
    this.users = users;
    this.broadcast = broadcast;
  }

  /** Ends every session of the user that exists now except {@code keepSid}: their tokens are refused, their sockets closed. */
  public Future<Void> endAllBut(String uid, String keepSid) {
    UserStore.SessionCutoff cutoff = new UserStore.SessionCutoff(System.currentTimeMillis(), keepSid);
    return users.endSessions(uid, cutoff).map(v -> {
      ended(uid, cutoff);
      broadcast.accept(uid, cutoff);
      return null;
    });
  }

  /** The user, when their token was issued after their sessions were last ended (or is the kept session). */
  public Future<AuthUser> check(AuthUser user) {
    UserStore.SessionCutoff cached = cutoffs.get(user.id());
    Future<UserStore.SessionCutoff> cutoff = cached != null ? Future.succeededFuture(cached)
        : users.sessionCutoff(user.id()).map(c -> {
          if (cutoffs.size() >= MAX_CACHED) {
            cutoffs.clear();
          }
          ended(user.id(), c);
          return cutoffs.get(user.id());
        });
    return cutoff.compose(c -> c.admits(user.issuedAtMs(), user.sid()) ? Future.succeededFuture(user)
        : Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "this session has ended, log in again")));
  }

  /** The newest cut-off wins. */
  public void ended(String uid, UserStore.SessionCutoff cutoff) {
    cutoffs.merge(uid, cutoff, (a, b) -> b.validAfterMs() >= a.validAfterMs() ? b : a);
  }
}
