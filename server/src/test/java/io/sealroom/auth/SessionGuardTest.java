package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Only users that exist act: a token of an unknown or deleted user is refused; lookups of existing users are cached. */
class SessionGuardTest {
  static final String ALICE = "cms2m52CRASooBHbyrpM";
  static final String GHOST = "wTLj2rgUycpwfCTBOaa1";

  /** Users in a map; counts the reads. */
  static final class Users implements UserStore {
    final Map<String, User> byId = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Future<Void> insert(User user) {
      byId.put(user.id(), user);
      return Future.succeededFuture();
    }

    @Override
    public Future<User> findByUsername(String username) {
      reads.incrementAndGet();
      return Future.succeededFuture(byId.values().stream().filter(u -> u.username().equals(username)).findFirst().orElse(null));
    }

    @Override
    public Future<User> findById(String id) {
      reads.incrementAndGet();
      return Future.succeededFuture(byId.get(id));
    }

    @Override
    public Future<List<User>> findByIds(Collection<String> ids) {
      reads.incrementAndGet();
      return Future.succeededFuture(ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList());
    }

    @Override
    public Future<SessionCutoff> sessionCutoff(String id) {
      reads.incrementAndGet();
      return Future.succeededFuture(new SessionCutoff(0, ""));
    }

    @Override
    public Future<Void> endSessions(String id, SessionCutoff cutoff) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> updatePasswordHash(String id, String expected, String hash) {
      return Future.succeededFuture();
    }
  }

  static Users users() {
    Users users = new Users();
    users.insert(new User(ALICE, "alice", "$argon2id$x", List.of("user"), 0));
    return users;
  }

  static boolean admitted(SessionGuard guard, String uid) throws Exception {
    try {
      guard.check(new AuthUser(uid, "someone", System.currentTimeMillis(), ""))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      assertEquals(ErrorCode.UNAUTHORIZED, ((ApiException) e.getCause()).code());
      return false;
    }
  }

  @Test
  void anExistingUserIsAdmittedAndAnUnknownOneIsNot() throws Exception {
    SessionGuard guard = new SessionGuard(users(), (uid, c) -> { });
    assertEquals(true, admitted(guard, ALICE));
    assertEquals(false, admitted(guard, GHOST));
    assertEquals(false, admitted(guard, GHOST), "asked again: still unknown");
  }

  @Test
  void anExistingUserIsLookedUpOnceAndADeletedOneIsRefusedWhenTheTimeIsUp() throws Exception {
    Users users = users();
    long[] now = {1_000_000};
    SessionGuard guard = new SessionGuard(users, (uid, c) -> { }, () -> now[0]);
    assertEquals(true, admitted(guard, ALICE));
    int reads = users.reads.get();
    for (int i = 0; i < 100; i++) {
      assertEquals(true, admitted(guard, ALICE));
    }
    assertEquals(reads, users.reads.get(), "the hot path reads no store");
    users.byId.remove(ALICE);
    now[0] += SessionGuard.USER_TTL_MS - 1;
    assertEquals(true, admitted(guard, ALICE), "still remembered");
    now[0] += 1;
    assertEquals(false, admitted(guard, ALICE), "deleted: refused once the time is up");
    assertEquals(false, admitted(guard, ALICE));
  }

  @Test
  void aRecheckKeepsTheSessionCutOff() throws Exception {
    Users users = users();
    long[] now = {1_000_000};
    SessionGuard guard = new SessionGuard(users, (uid, c) -> { }, () -> now[0]);
    AuthUser before = new AuthUser(ALICE, "alice", 500, "old-session");
    AuthUser kept = new AuthUser(ALICE, "alice", 500, "kept-session");
    guard.ended(ALICE, new UserStore.SessionCutoff(900, "kept-session"));
    for (int round = 0; round < 3; round++) {
      assertEquals(false, guard.check(before).toCompletionStage().toCompletableFuture()
          .handle((u, e) -> e == null).get(5, TimeUnit.SECONDS), "round " + round);
      assertEquals(true, guard.check(kept).toCompletionStage().toCompletableFuture()
          .handle((u, e) -> e == null).get(5, TimeUnit.SECONDS), "round " + round);
      now[0] += SessionGuard.USER_TTL_MS;
    }
  }
}
