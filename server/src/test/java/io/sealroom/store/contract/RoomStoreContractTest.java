package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.channel;
import static io.sealroom.store.contract.Fixtures.dm;
import static io.sealroom.store.contract.Fixtures.failureOf;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.member;
import static io.sealroom.store.contract.Fixtures.memberKey;
import static io.sealroom.store.contract.Fixtures.owner;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.RoomStore.DmExists;
import io.sealroom.rooms.Membership;
import io.sealroom.store.Stores;
import io.vertx.core.Future;
import java.util.HashSet;
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

/** The {@link RoomStore} contract, on every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class RoomStoreContractTest {
  @Parameter
  StoreEngine engine;

  private Stores stores;
  private RoomStore rooms;

  @BeforeEach
  void open() {
    stores = engine.stores();
    rooms = stores.rooms();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  private Room newRoom() {
    Room r = channel();
    await(rooms.insertRoom(r));
    return r;
  }

  private static Set<String> uids(List<Membership> subs) {
    return subs.stream().map(Membership::uid).collect(Collectors.toSet());
  }

  private static Set<String> rids(List<Membership> subs) {
    return subs.stream().map(Membership::rid).collect(Collectors.toSet());
  }

  // ---- rooms

  @Test
  void insertedRoomIsFound() {
    Room r = newRoom();
    assertEquals(r, await(rooms.findRoom(r.id())));
  }

  @Test
  void unknownRoomIsNull() {
    assertNull(await(rooms.findRoom(id())));
    assertNull(await(rooms.findDm("dm-" + id())));
  }

  @Test
  void findRoomsReturnsTheExistingRoomsOnly() {
    Room a = newRoom();
    Room b = newRoom();
    assertEquals(Set.of(a, b), Set.copyOf(await(rooms.findRooms(List.of(a.id(), id(), b.id())))));
    assertEquals(List.of(), await(rooms.findRooms(List.of(id()))));
  }

  @Test
  void directMessageIsFoundByItsKey() {
    Room d = dm("dm-" + id());
    await(rooms.insertRoom(d));
    assertEquals(d, await(rooms.findDm(d.dmKey())));
    assertEquals(d, await(rooms.findRoom(d.id())));
  }

  @Test
  void secondDirectMessageWithTheSameKeyFailsWithDmExists() {
    String dmKey = "dm-" + id();
    Room first = dm(dmKey);
    await(rooms.insertRoom(first));
    Room second = dm(dmKey);
    assertInstanceOf(DmExists.class, failureOf(rooms.insertRoom(second)));
    assertEquals(first, await(rooms.findDm(dmKey)));
    assertNull(await(rooms.findRoom(second.id())));
  }

  @Test
  void roomsWithoutDmKeyNeverCollide() {
    Room a = newRoom();
    Room b = newRoom();
    assertEquals(2, await(rooms.findRooms(List.of(a.id(), b.id()))).size());
  }

  @Test
  void concurrentDirectMessageCreationsHaveExactlyOneWinner() {
    String dmKey = "dm-" + id();
    List<Room> candidates = IntStream.range(0, 10).mapToObj(i -> dm(dmKey)).toList();
    List<Future<Void>> calls = race(10, i -> rooms.insertRoom(candidates.get(i)));
    assertEquals(1, succeeded(calls).size(), "creations that succeeded");
    calls.stream().filter(Future::failed).forEach(f -> assertInstanceOf(DmExists.class, f.cause()));
    Room winner = candidates.get(calls.indexOf(succeeded(calls).get(0)));
    assertEquals(winner, await(rooms.findDm(dmKey)));
  }

  // ---- update

  @Test
  void updateChangesTheGivenFieldsOnly() {
    Room r = newRoom();
    Room renamed = await(rooms.update(r.id(), "renamed", null, null));
    assertEquals(new Room(r.id(), r.type(), "renamed", r.ownerId(), false, null, false, 0, r.createdAt(), null),
        renamed);
    Room encrypted = await(rooms.update(r.id(), null, true, null));
    assertEquals("renamed", encrypted.name());
    assertTrue(encrypted.encrypted());
    assertFalse(encrypted.rotationDue());
    Room due = await(rooms.update(r.id(), null, null, true));
    assertTrue(due.rotationDue());
    assertTrue(due.encrypted());
    assertEquals(due, await(rooms.findRoom(r.id())));
  }

  @Test
  void updateOfAllFieldsAtOnce() {
    Room r = newRoom();
    Room updated = await(rooms.update(r.id(), "all", true, true));
    assertEquals("all", updated.name());
    assertTrue(updated.encrypted());
    assertTrue(updated.rotationDue());
    assertEquals(updated, await(rooms.findRoom(r.id())));
  }

  @Test
  void updateOfAnUnknownRoomReturnsNull() {
    String rid = id();
    assertNull(await(rooms.update(rid, "x", true, false)));
    assertNull(await(rooms.findRoom(rid)), "update creates no room");
  }

  // ---- memberships

  @Test
  void membershipsAreListedByUserAndByRoom() {
    Room r1 = newRoom();
    Room r2 = newRoom();
    String alice = id();
    String bob = id();
    Membership aliceOwns = owner(r1.id(), alice);
    await(rooms.upsertMemberships(List.of(aliceOwns, member(r1.id(), bob), member(r2.id(), alice))));
    assertEquals(Set.of(aliceOwns, member(r2.id(), alice)), Set.copyOf(await(rooms.membershipsOfUser(alice))));
    assertEquals(Set.of(aliceOwns, member(r1.id(), bob)), Set.copyOf(await(rooms.membershipsOfRoom(r1.id()))));
    assertEquals(List.of(member(r2.id(), alice)), await(rooms.membershipsOfRoom(r2.id())));
    assertEquals(aliceOwns, await(rooms.findMembership(r1.id(), alice)));
    assertTrue(await(rooms.findMembership(r1.id(), alice)).isOwner());
  }

  @Test
  void nonMemberHasNoSubscription() {
    Room r = newRoom();
    assertNull(await(rooms.findMembership(r.id(), id())));
    assertEquals(List.of(), await(rooms.membershipsOfUser(id())));
    assertEquals(List.of(), await(rooms.membershipsOfRoom(r.id())));
  }

  @Test
  void upsertSubscriptionsLeavesExistingMembershipsAsTheyAre() {
    Room r = newRoom();
    String uid = id();
    Membership original = owner(r.id(), uid);
    await(rooms.upsertMemberships(List.of(original)));
    await(stores.roomKeys().setKey(r.id(), uid, memberKey("k1")));

    Membership again = new Membership(r.id(), uid, "other-name", Membership.Role.MEMBER, 999, null);
    await(rooms.upsertMemberships(List.of(again)));
    await(rooms.upsertMemberships(List.of(again)));

    Membership stored = await(rooms.findMembership(r.id(), uid));
    assertEquals(new Membership(r.id(), uid, original.username(), Membership.Role.OWNER, original.joinedAt(), "k1"),
        stored);
    assertEquals("k1", await(stores.roomKeys().memberKeys(r.id(), uid)).current().kid());
    assertEquals(List.of(stored), await(rooms.membershipsOfRoom(r.id())));
  }

  @Test
  void upsertSubscriptionsInsertsTheNewOnesBesideExistingOnes() {
    Room r = newRoom();
    String existing = id();
    String fresh = id();
    await(rooms.upsertMemberships(List.of(owner(r.id(), existing))));
    await(rooms.upsertMemberships(List.of(member(r.id(), existing), member(r.id(), fresh))));
    assertEquals(Set.of(owner(r.id(), existing), member(r.id(), fresh)),
        Set.copyOf(await(rooms.membershipsOfRoom(r.id()))));
  }

  @Test
  void upsertOfNoSubscriptionsSucceeds() {
    await(rooms.upsertMemberships(List.of()));
  }

  @Test
  void concurrentOverlappingUpsertsStoreEveryMembership() {
    Room r = newRoom();
    String shared = id();
    List<String> others = IntStream.range(0, 10).mapToObj(i -> id()).toList();
    List<Future<Void>> calls = race(10, i ->
        rooms.upsertMemberships(List.of(member(r.id(), shared), member(r.id(), others.get(i)))));
    assertEquals(10, succeeded(calls).size());
    Set<String> expected = new HashSet<>(others);
    expected.add(shared);
    assertEquals(expected, uids(await(rooms.membershipsOfRoom(r.id()))));
    for (String uid : expected) {
      assertEquals(Set.of(r.id()), rids(await(rooms.membershipsOfUser(uid))), uid);
    }
  }

  @Test
  void deleteSubscriptionIsTrueOnceThenFalse() {
    Room r = newRoom();
    String uid = id();
    await(rooms.upsertMemberships(List.of(member(r.id(), uid))));
    assertTrue(await(rooms.deleteMembership(r.id(), uid)));
    assertFalse(await(rooms.deleteMembership(r.id(), uid)));
    assertNull(await(rooms.findMembership(r.id(), uid)));
    assertEquals(List.of(), await(rooms.membershipsOfUser(uid)));
    assertEquals(List.of(), await(rooms.membershipsOfRoom(r.id())));
  }

  @Test
  void deleteOfANonMemberIsFalse() {
    assertFalse(await(rooms.deleteMembership(newRoom().id(), id())));
  }

  @Test
  void rejoiningAfterDeleteStartsAFreshMembership() {
    Room r = newRoom();
    String uid = id();
    await(rooms.upsertMemberships(List.of(owner(r.id(), uid))));
    await(stores.roomKeys().setKey(r.id(), uid, memberKey("k1")));
    assertTrue(await(rooms.deleteMembership(r.id(), uid)));
    await(rooms.upsertMemberships(List.of(member(r.id(), uid))));
    assertEquals(member(r.id(), uid), await(rooms.findMembership(r.id(), uid)));
    assertNull(await(stores.roomKeys().memberKeys(r.id(), uid)).current());
  }

  @Test
  void concurrentMembershipChurnLeavesBothListingsInAgreement() {
    Room r = newRoom();
    int n = 60;
    List<String> users = IntStream.range(0, n).mapToObj(i -> id()).toList();
    // i % 3 == 0: joins; 1: joins then leaves; 2: joins and leaves at once (either outcome)
    List<Future<Boolean>> calls = race(n, i -> {
      String uid = users.get(i);
      Future<Void> join = rooms.upsertMemberships(List.of(member(r.id(), uid)));
      return switch (i % 3) {
        case 0 -> join.map(true);
        case 1 -> join.compose(v -> rooms.deleteMembership(r.id(), uid));
        default -> Future.all(join, rooms.deleteMembership(r.id(), uid)).map(true);
      };
    });
    assertEquals(n, succeeded(calls).size());

    Set<String> byRoom = uids(await(rooms.membershipsOfRoom(r.id())));
    Set<String> byUser = new HashSet<>();
    for (String uid : users) {
      Set<String> rids = rids(await(rooms.membershipsOfUser(uid)));
      if (rids.contains(r.id())) {
        byUser.add(uid);
      }
      assertEquals(rids.contains(r.id()), await(rooms.findMembership(r.id(), uid)) != null, uid);
    }
    assertEquals(byRoom, byUser, "the room's members and the users' rooms agree");
    for (int i = 0; i < n; i += 3) {
      assertTrue(byRoom.contains(users.get(i)), "joined: " + users.get(i));
      assertFalse(byRoom.contains(users.get(i + 1)), "joined then left: " + users.get(i + 1));
    }
  }
}
