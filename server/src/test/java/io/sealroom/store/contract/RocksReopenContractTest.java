package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.assertApiError;
import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.encryptedRoom;
import static io.sealroom.store.contract.Fixtures.failureOf;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.keys;
import static io.sealroom.store.contract.Fixtures.memberKey;
import static io.sealroom.store.contract.Fixtures.owner;
import static io.sealroom.store.contract.Fixtures.texts;
import static io.sealroom.store.contract.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ErrorCode;
import io.sealroom.keys.UserKeys;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore.DuplicateAt;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore.MemberKeys;
import io.sealroom.rooms.Membership;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.users.User;
import io.sealroom.users.UserStore.SessionCutoff;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB engine on disk keeps every kind of record across a close and a reopen of its directory. */
class RocksReopenContractTest {
  @TempDir
  Path dir;

  private Vertx vertx;
  private RocksStores stores;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeAll() throws Exception {
    if (stores != null) {
      stores.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private RocksStores reopen() throws Exception {
    if (stores != null) {
      stores.close();
    }
    stores = RocksStores.open(vertx, dir.toString(), 64);
    return stores;
  }

  @Test
  void everyRecordSurvivesCloseAndReopen() throws Exception {
    User u = user();
    UserKeys k = keys();
    Room r = encryptedRoom();
    MemberKey mk = memberKey("k1");
    List<Message> sent = texts(r.id(), 1, 3);

    RocksStores first = reopen();
    await(first.users().insert(u));
    await(first.users().endSessions(u.id(), new SessionCutoff(42, "sid")));
    assertTrue(await(first.keys().put(u.id(), k, "")));
    await(first.rooms().insertRoom(r));
    await(first.rooms().upsertMemberships(List.of(owner(r.id(), u.id()))));
    await(first.roomKeys().establish(r.id(), "k1"));
    await(first.roomKeys().setKey(r.id(), u.id(), mk));
    await(first.messages().insertOrdered(sent));

    RocksStores second = reopen();
    assertEquals(u, await(second.users().findByUsername(u.username())));
    assertEquals(new SessionCutoff(42, "sid"), await(second.users().sessionCutoff(u.id())));
    assertEquals(k, await(second.keys().get(u.id())));
    assertEquals("k1", await(second.rooms().findRoom(r.id())).e2eKeyId());
    Membership sub = await(second.rooms().findMembership(r.id(), u.id()));
    assertEquals(new Membership(r.id(), u.id(), "name-" + u.id(), Membership.Role.OWNER, sub.joinedAt(), "k1"),
        sub);
    assertEquals(List.of(sub), await(second.rooms().membershipsOfUser(u.id())));
    assertEquals(new MemberKeys(mk, List.of()), await(second.roomKeys().memberKeys(r.id(), u.id())));
    assertEquals(3L, await(second.messages().head(r.id())));
    assertEquals(sent, await(second.messages().range(r.id(), 1, 3)));
    assertEquals(sent.get(1), await(second.messages().findByCid(sent.get(1).uid(), sent.get(1).cid())));
  }

  @Test
  void conditionsHoldAgainstTheReopenedData() throws Exception {
    User u = user();
    Room r = encryptedRoom();
    RocksStores first = reopen();
    await(first.users().insert(u));
    assertTrue(await(first.keys().put(u.id(), keys(), "")));
    await(first.rooms().insertRoom(r));
    await(first.roomKeys().establish(r.id(), "k1"));
    await(first.messages().insertOrdered(texts(r.id(), 1, 2)));

    RocksStores second = reopen();
    assertFalse(await(second.keys().put(u.id(), keys(), "")), "the keys are still there");
    assertNull(await(second.roomKeys().establish(r.id(), "k2")), "the kid is still set");
    assertApiError(ErrorCode.USERNAME_TAKEN, failureOf(second.users().insert(user(id(), u.username()))));
    assertEquals(0, assertInstanceOf(DuplicateAt.class,
        failureOf(second.messages().insertOrdered(texts(r.id(), 2, 1)))).index, "seq 2 is still taken");
  }
}
