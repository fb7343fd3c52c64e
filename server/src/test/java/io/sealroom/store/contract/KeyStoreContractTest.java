package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.channel;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.keys;
import static io.sealroom.store.contract.Fixtures.member;
import static io.sealroom.store.contract.Fixtures.memberKey;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.rewrapped;
import static io.sealroom.store.contract.Fixtures.user;
import static io.sealroom.store.contract.Fixtures.winners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.keys.KeyStore;
import io.sealroom.keys.KeyVersion;
import io.sealroom.keys.UserKeys;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore.MemberKeys;
import io.sealroom.store.Stores;
import io.sealroom.users.User;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link KeyStore} contract, on every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class KeyStoreContractTest {
  @Parameter
  StoreEngine engine;

  private Stores stores;
  private KeyStore keyStore;

  @BeforeEach
  void open() {
    stores = engine.stores();
    keyStore = stores.keys();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  private User newUser() {
    User u = user();
    await(stores.users().insert(u));
    return u;
  }

  @Test
  void aUserWithoutKeysHasNone() {
    assertNull(await(keyStore.get(newUser().id())));
    assertNull(await(keyStore.get(id())), "no such user");
  }

  @Test
  void firstUploadExpectingNoKeysIsStored() {
    User u = newUser();
    UserKeys k = keys();
    assertTrue(await(keyStore.put(u.id(), k, "")));
    assertEquals(k, await(keyStore.get(u.id())));
  }

  @Test
  void secondUploadExpectingNoKeysIsRefused() {
    User u = newUser();
    UserKeys first = keys();
    assertTrue(await(keyStore.put(u.id(), first, "")));
    assertFalse(await(keyStore.put(u.id(), keys(), "")));
    assertFalse(await(keyStore.put(u.id(), rewrapped(first), "")), "even of the same public keys");
    assertEquals(first, await(keyStore.get(u.id())));
  }

  @Test
  void uploadExpectingTheStoredFingerprintReplacesTheWrappedPrivateKey() {
    User u = newUser();
    UserKeys before = keys();
    assertTrue(await(keyStore.put(u.id(), before, "")));
    UserKeys after = rewrapped(before);
    assertTrue(await(keyStore.put(u.id(), after, before.fingerprint())));
    assertEquals(after, await(keyStore.get(u.id())));
  }

  @Test
  void uploadExpectingAnotherFingerprintIsRefused() {
    User u = newUser();
    UserKeys stored = keys();
    assertTrue(await(keyStore.put(u.id(), stored, "")));
    assertFalse(await(keyStore.put(u.id(), keys(), keys().fingerprint())));
    assertEquals(stored, await(keyStore.get(u.id())));
  }

  @Test
  void uploadForAnUnknownUserIsRefused() {
    String uid = id();
    assertFalse(await(keyStore.put(uid, keys(), "")));
    assertNull(await(keyStore.get(uid)));
  }

  @Test
  void concurrentFirstUploadsHaveExactlyOneWinner() {
    User u = newUser();
    List<UserKeys> uploads = IntStream.range(0, 10).mapToObj(i -> keys()).toList();
    List<Future<Boolean>> calls = race(10, i -> keyStore.put(u.id(), uploads.get(i), ""));
    List<Integer> won = winners(calls);
    assertEquals(1, won.size(), "uploads that returned true");
    assertEquals(uploads.get(won.get(0)), await(keyStore.get(u.id())));
  }

  @Test
  void getAllLeavesOutUsersWithoutKeys() {
    User a = newUser();
    User b = newUser();
    User withoutKeys = newUser();
    UserKeys ka = keys();
    UserKeys kb = keys();
    assertTrue(await(keyStore.put(a.id(), ka, "")));
    assertTrue(await(keyStore.put(b.id(), kb, "")));
    Map<String, UserKeys> all = await(keyStore.getAll(List.of(a.id(), b.id(), withoutKeys.id(), id())));
    assertEquals(Map.of(a.id(), ka, b.id(), kb), all);
    assertEquals(Map.of(), await(keyStore.getAll(List.of(withoutKeys.id()))));
  }

  @Test
  void resetRemovesTheKeysSoThatAFirstUploadLandsAgain() {
    User u = newUser();
    assertTrue(await(keyStore.put(u.id(), keys(), "")));
    await(keyStore.reset(u.id()));
    assertNull(await(keyStore.get(u.id())));
    assertEquals(Map.of(), await(keyStore.getAll(List.of(u.id()))));
    UserKeys fresh = keys();
    assertTrue(await(keyStore.put(u.id(), fresh, "")));
    assertEquals(fresh, await(keyStore.get(u.id())));
  }

  @Test
  void everyNewKeySetIsAVersionAndAResetEndsItWithoutDeletingIt() {
    User u = newUser();
    assertEquals(List.of(), await(keyStore.versions(u.id())));
    UserKeys first = keys();
    assertTrue(await(keyStore.put(u.id(), first, "")));
    assertTrue(await(keyStore.put(u.id(), rewrapped(first), first.fingerprint())), "a password change");
    List<KeyVersion> one = await(keyStore.versions(u.id()));
    assertEquals(1, one.size(), "a re-wrap of the same keys is not a new version");
    assertEquals(first.ukid(), one.get(0).ukid());
    assertEquals(first.publicKey(), one.get(0).publicKey());
    assertEquals(first.signingKey(), one.get(0).signingKey());
    assertNull(one.get(0).endedAt());

    await(keyStore.reset(u.id()));
    List<KeyVersion> ended = await(keyStore.versions(u.id()));
    assertEquals(1, ended.size());
    assertTrue(ended.get(0).endedAt() != null && ended.get(0).endedAt() >= ended.get(0).createdAt());

    UserKeys second = keys();
    assertTrue(await(keyStore.put(u.id(), second, "")));
    List<KeyVersion> two = await(keyStore.versions(u.id()));
    assertEquals(List.of(first.ukid(), second.ukid()), two.stream().map(KeyVersion::ukid).toList());
    assertEquals(ended.get(0), two.get(0), "an ended version never changes");
    assertNull(two.get(1).endedAt());
    assertEquals(List.of(), await(keyStore.versions(id())), "no such user");
  }

  @Test
  void resetKeepsTheAccount() {
    User u = newUser();
    assertTrue(await(keyStore.put(u.id(), keys(), "")));
    await(keyStore.reset(u.id()));
    assertEquals(u, await(stores.users().findById(u.id())));
  }

  @Test
  void resetClearsEveryRoomKeyOfTheUsersMemberships() {
    User u = newUser();
    String other = id();
    assertTrue(await(keyStore.put(u.id(), keys(), "")));
    Room r1 = channel();
    Room r2 = channel();
    for (Room r : List.of(r1, r2)) {
      await(stores.rooms().insertRoom(r));
      await(stores.rooms().upsertMemberships(List.of(member(r.id(), u.id()), member(r.id(), other))));
      await(stores.roomKeys().setKey(r.id(), u.id(), memberKey("k1")));
      await(stores.roomKeys().setKey(r.id(), u.id(), memberKey("k2")));
    }
    MemberKey othersKey = memberKey("k1");
    await(stores.roomKeys().setKey(r1.id(), other, othersKey));

    await(keyStore.reset(u.id()));

    for (Room r : List.of(r1, r2)) {
      MemberKeys mk = await(stores.roomKeys().memberKeys(r.id(), u.id()));
      assertNull(mk.current(), "current key in " + r.id());
      assertEquals(List.of(), mk.old(), "old keys in " + r.id());
      assertNull(await(stores.rooms().findMembership(r.id(), u.id())).keyId());
    }
    assertEquals(new MemberKeys(othersKey, List.of()), await(stores.roomKeys().memberKeys(r1.id(), other)),
        "another member's key stays");
  }
}
