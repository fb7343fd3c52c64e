package io.sealroom.auth;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.logging.SecurityLog;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Admits the caller of a verified token only while the user exists and the token's session was
 * not ended (a key reset ends every session of the user but the one that asked for it). Per user
 * the node remembers, for {@link #USER_TTL_MS}, that the user exists and when their sessions
 * were last ended: loaded from the store on first use and when that time is up, and updated by
 * {@link #ended} (called on every node through the event bus). So the hot path reads no store,
 * an unknown user is looked up on every try (and refused), and a deleted user is refused within
 * {@link #USER_TTL_MS}. Bounded: at most {@link #MAX_CACHED} users are remembered. Thread-safe.
 */
public final class SessionGuard {
  static final int MAX_CACHED = 200_000;
  /** How long a user known to exist is taken on trust before the store is asked again. */
  static final long USER_TTL_MS = 60_000;
  private final UserStore users;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final BiConsumer<String, UserStore.SessionCutoff> broadcast;
  private final LongSupplier clock;

  /** A user's newest session cut-off, and when the store last said the user exists (0: not yet). */
  private record Known(UserStore.SessionCutoff cutoff, long seenAtMs) {
    Known merge(Known other) {
      UserStore.SessionCutoff newest = other.cutoff.validAfterMs() >= cutoff.validAfterMs() ? other.cutoff : cutoff;
      return new Known(newest, Math.max(seenAtMs, other.seenAtMs));
    }
  }

  /** broadcast tells every node (this one included) that a user's sessions ended. */
  public SessionGuard(UserStore users, BiConsumer<String, UserStore.SessionCutoff> broadcast) {
    this(users, broadcast, System::currentTimeMillis);
  }

  SessionGuard(UserStore users, BiConsumer<String, UserStore.SessionCutoff> broadcast, LongSupplier clock) {
    this.users = users;
    this.broadcast = broadcast;
    this.clock = clock;
  }

  /**
   * Ends every session of the user that exists now except {@code keepSid}: their tokens are
   * refused, their sockets closed. The reason (snake_case, e.g. key_reset) goes to the security log.
   */
  public Future<Void> endAllBut(String uid, String keepSid, String reason) {
    UserStore.SessionCutoff cutoff = new UserStore.SessionCutoff(System.currentTimeMillis(), keepSid);
    return users.endSessions(uid, cutoff).map(v -> {
      ended(uid, cutoff);
      broadcast.accept(uid, cutoff);
      SecurityLog.event("sessions_ended").with("userId", uid).with("reason", reason).log();
      return null;
    });
  }

  /** The user, when they exist and their token was issued after their sessions were last ended (or is the kept session). */
  public Future<AuthUser> check(AuthUser user) {
    long now = clock.getAsLong();
    Known k = known.get(user.id());
    Future<UserStore.SessionCutoff> cutoff = k == null || k.seenAtMs() == 0 ? load(user.id(), now)
        : now - k.seenAtMs() < USER_TTL_MS ? Future.succeededFuture(k.cutoff()) : recheck(user.id(), k.cutoff(), now);
    return cutoff.compose(c -> c.admits(user.issuedAtMs(), user.sid()) ? Future.succeededFuture(user)
        : Future.failedFuture(sessionEnded()));
  }

  /** Why a session was ended: the only thing that ends sessions is a key reset on another session. */
  public static ApiException sessionEnded() {
    return new ApiException(ErrorCode.UNAUTHORIZED,
        "this session ended because your encryption keys were reset on another device: log in again",
        new io.vertx.core.json.JsonObject().put("reason", SESSION_END_REASON));
  }

  /** The reason of every ended session (REST 401 details and the WebSocket close reason). */
  public static final String SESSION_END_REASON = "key_reset";

  /** First use: asks the store whether the user exists and for their cut-off; remembers a user that exists. */
  private Future<UserStore.SessionCutoff> load(String uid, long now) {
    return Future.all(users.findById(uid), users.sessionCutoff(uid))
        .compose(all -> remember(uid, all.resultAt(0) != null, all.resultAt(1), now));
  }

  /** Time is up: asks only whether the user still exists (cut-offs made since came through {@link #ended}). */
  private Future<UserStore.SessionCutoff> recheck(String uid, UserStore.SessionCutoff cutoff, long now) {
    return users.findById(uid).compose(u -> remember(uid, u != null, cutoff, now));
  }

  private Future<UserStore.SessionCutoff> remember(String uid, boolean exists, UserStore.SessionCutoff read, long now) {
    if (!exists) {
      known.remove(uid);
      return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the account does not exist"));
    }
    if (known.size() >= MAX_CACHED) {
      known.clear();
    }
    // the newest cut-off wins: one broadcast while the store was read is newer than what was read
    return Future.succeededFuture(known.merge(uid, new Known(read, now), Known::merge).cutoff());
  }

  /** The newest cut-off wins. */
  public void ended(String uid, UserStore.SessionCutoff cutoff) {
    known.merge(uid, new Known(cutoff, 0), Known::merge);
  }
}
