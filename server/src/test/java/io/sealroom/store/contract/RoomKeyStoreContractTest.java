package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.encryptedRoom;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.member;
import static io.sealroom.store.contract.Fixtures.memberKey;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.succeeded;
import static io.sealroom.store.contract.Fixtures.winners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.rooms.RoomKeyStore.MemberKeys;
import io.sealroom.store.Stores;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link RoomKeyStore} contract, on every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class RoomKeyStoreContractTest {
  @Parameter
  StoreEngine engine;

  private Stores stores;
  private RoomKeyStore roomKeys;

  @BeforeEach
  void open() {
    stores = engine.stores();
    roomKeys = stores.roomKeys();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  private Room newRoom() {
    Room r = encryptedRoom();
    await(stores.rooms().insertRoom(r));
    return r;
  }

  /** A room with one member per uid. */
  private Room roomWith(String... uids) {
    Room r = newRoom();
    await(stores.rooms().upsertMemberships(Arrays.stream(uids).map(u -> member(r.id(), u)).toList()));
    return r;
  }

  private Room establishedRoom(String kid) {
    Room r = newRoom();
    await(roomKeys.establish(r.id(), kid));
    return r;
  }

  // ---- establish

  @Test
  void establishSetsTheKidOfARoomWithoutOne() {
    Room r = newRoom();
    Room established = await(roomKeys.establish(r.id(), "k1"));
    assertEquals("k1", established.e2eKeyId());
    assertEquals(r.id(), established.id());
    assertEquals(established, await(stores.rooms().findRoom(r.id())));
  }

  @Test
  void establishIsNullOnceAKidIsSet() {
    Room r = establishedRoom("k1");
    assertNull(await(roomKeys.establish(r.id(), "k2")));
    assertNull(await(roomKeys.establish(r.id(), "k1")), "not even the same kid again");
    assertEquals("k1", await(stores.rooms().findRoom(r.id())).e2eKeyId());
  }

  @Test
  void establishOfAnUnknownRoomIsNull() {
    String rid = id();
    assertNull(await(roomKeys.establish(rid, "k1")));
    assertNull(await(stores.rooms().findRoom(rid)));
  }

  @Test
  void establishHasExactlyOneWinnerAmongConcurrentCallers() {
    Room r = newRoom();
    List<Future<Room>> calls = race(20, i -> roomKeys.establish(r.id(), "kid-" + i));
    List<Integer> won = winners(calls);
    assertEquals(1, won.size(), "establish calls that returned a room");
    String winner = "kid-" + won.get(0);
    assertEquals(winner, calls.get(won.get(0)).result().e2eKeyId());
    assertEquals(winner, await(stores.rooms().findRoom(r.id())).e2eKeyId());
  }

  @Test
  void establishClearsRotationDue() {
    Room r = newRoom();
    assertTrue(await(stores.rooms().update(r.id(), null, null, true)).rotationDue());
    assertFalse(await(roomKeys.establish(r.id(), "k1")).rotationDue());
    assertFalse(await(stores.rooms().findRoom(r.id())).rotationDue());
  }

  // ---- rotate

  @Test
  void rotateFromTheCurrentKidReplacesIt() {
    Room r = establishedRoom("k1");
    Room rotated = await(roomKeys.rotate(r.id(), "k1", "k2"));
    assertEquals("k2", rotated.e2eKeyId());
    assertEquals(rotated, await(stores.rooms().findRoom(r.id())));
  }

  @Test
  void rotateClearsRotationDue() {
    Room r = establishedRoom("k1");
    await(stores.rooms().update(r.id(), null, null, true));
    assertFalse(await(roomKeys.rotate(r.id(), "k1", "k2")).rotationDue());
    assertFalse(await(stores.rooms().findRoom(r.id())).rotationDue());
  }

  @Test
  void rotateFromAnotherKidIsNull() {
    Room r = establishedRoom("k1");
    assertNull(await(roomKeys.rotate(r.id(), "k0", "k2")));
    assertEquals("k1", await(stores.rooms().findRoom(r.id())).e2eKeyId());
  }

  @Test
  void rotateOfARoomWithoutKidIsNull() {
    Room r = newRoom();
    assertNull(await(roomKeys.rotate(r.id(), "k0", "k1")));
    assertNull(await(stores.rooms().findRoom(r.id())).e2eKeyId());
  }

  @Test
  void rotateHasExactlyOneWinnerAmongConcurrentCallers() {
    Room r = establishedRoom("k1");
    List<Future<Room>> calls = race(10, i -> roomKeys.rotate(r.id(), "k1", "next-" + i));
    List<Integer> won = winners(calls);
    assertEquals(1, won.size(), "rotations that returned a room");
    assertEquals("next-" + won.get(0), await(stores.rooms().findRoom(r.id())).e2eKeyId());
  }

  // ---- member keys

  @Test
  void memberKeysOfANonMemberIsNull() {
    assertNull(await(roomKeys.memberKeys(newRoom().id(), id())));
  }

  @Test
  void aNewMemberHasNoKeys() {
    String uid = id();
    Room r = roomWith(uid);
    assertEquals(new MemberKeys(null, List.of()), await(roomKeys.memberKeys(r.id(), uid)));
    assertNull(await(stores.rooms().findMembership(r.id(), uid)).keyId());
  }

  @Test
  void setKeyStoresTheCurrentKey() {
    String uid = id();
    Room r = roomWith(uid);
    MemberKey k1 = memberKey("k1");
    await(roomKeys.setKey(r.id(), uid, k1));
    assertEquals(new MemberKeys(k1, List.of()), await(roomKeys.memberKeys(r.id(), uid)));
    assertEquals("k1", await(stores.rooms().findMembership(r.id(), uid)).keyId());
  }

  @Test
  void setKeyOfAnotherKidMovesTheEarlierKeyToOld() {
    String uid = id();
    Room r = roomWith(uid);
    MemberKey k1 = memberKey("k1");
    MemberKey k2 = memberKey("k2");
    MemberKey k3 = memberKey("k3");
    await(roomKeys.setKey(r.id(), uid, k1));
    await(roomKeys.setKey(r.id(), uid, k2));
    assertEquals(new MemberKeys(k2, List.of(k1)), await(roomKeys.memberKeys(r.id(), uid)));
    await(roomKeys.setKey(r.id(), uid, k3));
    assertEquals(new MemberKeys(k3, List.of(k1, k2)), await(roomKeys.memberKeys(r.id(), uid)));
  }

  @Test
  void setKeyOfTheSameKidReplacesItWithoutHistory() {
    String uid = id();
    Room r = roomWith(uid);
    MemberKey again = memberKey("k1");
    await(roomKeys.setKey(r.id(), uid, memberKey("k1")));
    await(roomKeys.setKey(r.id(), uid, again));
    assertEquals(new MemberKeys(again, List.of()), await(roomKeys.memberKeys(r.id(), uid)));
  }

  @Test
  void setKeyForANonMemberStoresNothing() {
    Room r = newRoom();
    String uid = id();
    await(roomKeys.setKey(r.id(), uid, memberKey("k1")));
    assertNull(await(roomKeys.memberKeys(r.id(), uid)));
    assertNull(await(stores.rooms().findMembership(r.id(), uid)));
  }

  @Test
  void setKeyChangesOnlyThatMembersKeys() {
    String alice = id();
    String bob = id();
    Room r = roomWith(alice, bob);
    MemberKey bobs = memberKey("k1");
    await(roomKeys.setKey(r.id(), bob, bobs));
    await(roomKeys.setKey(r.id(), alice, memberKey("k1")));
    await(roomKeys.setKey(r.id(), alice, memberKey("k2")));
    assertEquals(new MemberKeys(bobs, List.of()), await(roomKeys.memberKeys(r.id(), bob)));
  }

  // ---- retire

  @Test
  void retireMovesEveryMembersCurrentKeyOfThatKidToOld() {
    String alice = id();
    String bob = id();
    String carol = id();
    Room r = roomWith(alice, bob, carol);
    MemberKey aliceK1 = memberKey("k1");
    MemberKey bobK1 = memberKey("k1");
    MemberKey carolK2 = memberKey("k2");
    await(roomKeys.setKey(r.id(), alice, aliceK1));
    await(roomKeys.setKey(r.id(), bob, bobK1));
    await(roomKeys.setKey(r.id(), carol, carolK2));

    await(roomKeys.retire(r.id(), "k1"));

    assertEquals(new MemberKeys(null, List.of(aliceK1)), await(roomKeys.memberKeys(r.id(), alice)));
    assertEquals(new MemberKeys(null, List.of(bobK1)), await(roomKeys.memberKeys(r.id(), bob)));
    assertEquals(new MemberKeys(carolK2, List.of()), await(roomKeys.memberKeys(r.id(), carol)), "another kid stays");
    assertNull(await(stores.rooms().findMembership(r.id(), alice)).keyId());
  }

  @Test
  void retireKeepsEarlierHistory() {
    String uid = id();
    Room r = roomWith(uid);
    MemberKey k1 = memberKey("k1");
    MemberKey k2 = memberKey("k2");
    await(roomKeys.setKey(r.id(), uid, k1));
    await(roomKeys.setKey(r.id(), uid, k2));
    await(roomKeys.retire(r.id(), "k2"));
    assertEquals(new MemberKeys(null, List.of(k1, k2)), await(roomKeys.memberKeys(r.id(), uid)));
  }

  @Test
  void retireLeavesOtherRoomsAlone() {
    String uid = id();
    Room r1 = roomWith(uid);
    Room r2 = roomWith(uid);
    MemberKey inR2 = memberKey("k1");
    await(roomKeys.setKey(r1.id(), uid, memberKey("k1")));
    await(roomKeys.setKey(r2.id(), uid, inR2));
    await(roomKeys.retire(r1.id(), "k1"));
    assertEquals(new MemberKeys(inR2, List.of()), await(roomKeys.memberKeys(r2.id(), uid)));
  }

  @Test
  void retireOfAKidNobodyHoldsChangesNothing() {
    String uid = id();
    Room r = roomWith(uid);
    MemberKey k1 = memberKey("k1");
    await(roomKeys.setKey(r.id(), uid, k1));
    await(roomKeys.retire(r.id(), "k9"));
    assertEquals(new MemberKeys(k1, List.of()), await(roomKeys.memberKeys(r.id(), uid)));
  }

  // ---- concurrent key writes

  @Test
  void concurrentHandOversOfOneKidKeepTheEarlierKeyOnceInTheHistory() {

    String uid = id();
    Room r = roomWith(uid);
    MemberKey k1 = memberKey("k1");
    await(roomKeys.setKey(r.id(), uid, k1));
    List<MemberKey> copies = IntStream.range(0, 10).mapToObj(i -> memberKey("k2")).toList();
    assertEquals(10, succeeded(race(10, i -> roomKeys.setKey(r.id(), uid, copies.get(i)))).size());
    MemberKeys after = await(roomKeys.memberKeys(r.id(), uid));
    assertEquals("k2", after.current().kid());
    assertEquals(List.of(k1), after.old());
  }

  @Test
  void retireNeverTakesAKeyOfTheNewKidStoredMeanwhile() {

    int n = 30;
    String[] uids = IntStream.range(0, n).mapToObj(i -> id()).toArray(String[]::new);
    Room r = roomWith(uids);
    List<MemberKey> olds = new ArrayList<>();
    for (String uid : uids) {
      MemberKey k1 = memberKey("k1");
      olds.add(k1);
      await(roomKeys.setKey(r.id(), uid, k1));
    }
    List<MemberKey> news = IntStream.range(0, n).mapToObj(i -> memberKey("k2")).toList();
    // the rotator retires k1 while the holders of k2 hand it over
    List<Future<Void>> calls = race(n + 1, i -> i == n ? roomKeys.retire(r.id(), "k1")
        : roomKeys.setKey(r.id(), uids[i], news.get(i)));
    assertEquals(n + 1, succeeded(calls).size());
    for (int i = 0; i < n; i++) {
      assertEquals(new MemberKeys(news.get(i), List.of(olds.get(i))), await(roomKeys.memberKeys(r.id(), uids[i])),
          "member " + i);
    }
  }
}
