package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.assertApiError;
import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.failureOf;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.succeeded;
import static io.sealroom.store.contract.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ErrorCode;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.sealroom.users.UserStore.SessionCutoff;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link UserStore} contract, on every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class UserStoreContractTest {
  @Parameter
  StoreEngine engine;

  private UserStore users;

  @BeforeEach
  void open() {
    users = engine.stores().users();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  @Test
  void insertedUserIsFoundByIdAndByUsername() {
    User u = user();
    await(users.insert(u));
    assertEquals(u, await(users.findById(u.id())));
    assertEquals(u, await(users.findByUsername(u.username())));
  }

  @Test
  void unknownIdAndUsernameAreNull() {
    assertNull(await(users.findById(id())));
    assertNull(await(users.findByUsername("nobody-" + id().toLowerCase())));
  }

  @Test
  void insertOfATakenUsernameFailsWithUsernameTaken() {
    User first = user();
    await(users.insert(first));
    assertApiError(ErrorCode.USERNAME_TAKEN, failureOf(users.insert(user(id(), first.username()))));
    assertEquals(first, await(users.findByUsername(first.username())));
  }

  @Test
  void insertingTheSameAccountAgainFailsAndKeepsIt() {
    User u = user();
    await(users.insert(u));
    await(users.endSessions(u.id(), new UserStore.SessionCutoff(42, "s")));
    assertApiError(ErrorCode.USERNAME_TAKEN, failureOf(users.insert(u)));
    assertEquals(42, await(users.sessionCutoff(u.id())).validAfterMs(), "the stored account is untouched");
  }

  @Test
  void concurrentInsertsOfOneUsernameHaveExactlyOneWinner() {
    String username = "contested-" + id().toLowerCase();
    List<User> candidates = IntStream.range(0, 20).mapToObj(i -> user(id(), username)).toList();
    List<Future<Void>> calls = race(20, i -> users.insert(candidates.get(i)));
    assertEquals(1, succeeded(calls).size(), "inserts that succeeded");
    int winner = calls.indexOf(succeeded(calls).get(0));
    calls.stream().filter(Future::failed).forEach(f -> assertApiError(ErrorCode.USERNAME_TAKEN, f.cause()));
    assertEquals(candidates.get(winner), await(users.findByUsername(username)));
  }

  @Test
  void findByIdsReturnsTheExistingUsersOnly() {
    User a = user();
    User b = user();
    await(users.insert(a));
    await(users.insert(b));
    List<User> found = await(users.findByIds(List.of(a.id(), id(), b.id())));
    assertEquals(Set.of(a, b), Set.copyOf(found));
    assertEquals(List.of(), await(users.findByIds(List.of(id()))));
  }

  @Test
  void sessionCutoffIsZeroUntilSessionsAreEnded() {
    User u = user();
    await(users.insert(u));
    assertEquals(new SessionCutoff(0, ""), await(users.sessionCutoff(u.id())));
    assertEquals(new SessionCutoff(0, ""), await(users.sessionCutoff(id())), "no such user");
  }

  @Test
  void endSessionsStoresTheCutoff() {
    User u = user();
    await(users.insert(u));
    await(users.endSessions(u.id(), new SessionCutoff(1234, "sid-kept")));
    assertEquals(new SessionCutoff(1234, "sid-kept"), await(users.sessionCutoff(u.id())));
    await(users.endSessions(u.id(), new SessionCutoff(5678, null)));
    assertEquals(new SessionCutoff(5678, ""), await(users.sessionCutoff(u.id())));
  }

  @Test
  void endSessionsKeepsTheAccount() {
    User u = user();
    await(users.insert(u));
    await(users.endSessions(u.id(), new SessionCutoff(1234, "sid")));
    assertEquals(u, await(users.findById(u.id())));
  }

  @Test
  void updatePasswordHashReplacesTheExpectedHash() {
    User u = user();
    await(users.insert(u));
    await(users.updatePasswordHash(u.id(), u.passwordHash(), "new-hash"));
    assertEquals("new-hash", await(users.findById(u.id())).passwordHash());
    assertEquals("new-hash", await(users.findByUsername(u.username())).passwordHash());
  }

  @Test
  void updatePasswordHashFromAStaleHashChangesNothing() {
    User u = user();
    await(users.insert(u));
    await(users.updatePasswordHash(u.id(), "not-the-stored-hash", "new-hash"));
    assertEquals(u.passwordHash(), await(users.findById(u.id())).passwordHash());
  }

  @Test
  void concurrentPasswordChangesFromOneHashLeaveOneOfThem() {
    User u = user();
    await(users.insert(u));
    List<Future<Void>> calls = race(10, i -> users.updatePasswordHash(u.id(), u.passwordHash(), "hash-" + i));
    assertEquals(10, succeeded(calls).size());
    Set<String> candidates = IntStream.range(0, 10).mapToObj(i -> "hash-" + i)
        .collect(Collectors.toSet());
    String stored = await(users.findById(u.id())).passwordHash();
    assertTrue(candidates.contains(stored), stored);
    // the stored hash is now a winner's: a change from the original hash lands no more
    await(users.updatePasswordHash(u.id(), u.passwordHash(), "late"));
    assertEquals(stored, await(users.findById(u.id())).passwordHash());
  }
}
