package io.sealroom.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.config.Config;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.Membership;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.RoomType;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.testing.GeneratedStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FileService's own bookkeeping, over the embedded file store with a room store that always says
 * "member": what an upload reserves against the quota is given back however it ends, including a
 * client that goes while the upload still waits for the store.
 */
class FileServiceTest {
  static final long QUOTA = 1_000_000;
  static final AuthUser ALICE = new AuthUser("alice-id-000000000000", "alice", 0, "sid");
  Vertx vertx;
  RocksStores stores;
  /** Held answers of usage(): the test lets them through. */
  Promise<Void> usageGate;
  FileService service;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    stores = RocksStores.open(vertx, "mem:", 16, null);
    FileStore real = stores.files();
    usageGate = Promise.promise();
    usageGate.complete();
    FileStore gated = (FileStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FileStore.class},
        (p, m, args) -> m.getName().equals("usage")
            ? usageGate.future().compose(v -> real.usage((String) args[0]))
            : m.invoke(real, args));
    Room room = new Room("room-id-000000000000", RoomType.PRIVATE, "r", ALICE.id(), false, null, false, 0, 0, null);
    RoomStore rooms = (RoomStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RoomStore.class},
        (p, m, args) -> switch (m.getName()) {
          case "findRoom" -> Future.succeededFuture(room);
          case "findMembership" -> Future.succeededFuture(new Membership(room.id(), ALICE.id(), "alice",
              Membership.Role.OWNER, 0, null));
          default -> throw new UnsupportedOperationException(m.getName());
        });
    MessageStore messages = (MessageStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MessageStore.class}, (p, m, args) -> Future.succeededFuture(null));
    service = new FileService(vertx, gated, rooms, messages, new Config.Files(QUOTA, QUOTA, 3600, ""),
        new FileMetrics(null));
  }

  @AfterEach
  void stop() throws Exception {
    stores.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Future<?> upload(long declared, GeneratedStream body, Future<Void> gone) {
    return service.upload(ALICE, "room-id-000000000000", null, null, declared, body, gone, e -> { });
  }

  @Test
  void aClientGoneWhileTheUploadWaitsForTheStoreEndsItAndFreesItsReservation() throws Exception {
    usageGate = Promise.promise(); // the store is slow to answer
    Promise<Void> gone = Promise.promise();
    GeneratedStream body = new GeneratedStream(vertx.getOrCreateContext(), QUOTA, 8192);
    body.pause();
    Future<?> cut = upload(QUOTA, body, gone.future());
    gone.complete(); // the connection closed before anything read the body
    usageGate.complete();
    Throwable why = cut.transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertTrue(why instanceof ApiException, "the upload ended: " + why);
    // its declared length is no longer reserved: a whole quota's upload passes
    GeneratedStream next = new GeneratedStream(vertx.getOrCreateContext(), QUOTA, 8192);
    next.pause();
    upload(QUOTA, next, Promise.<Void>promise().future()).await(10, TimeUnit.SECONDS);
    assertEquals(QUOTA, stores.files().usage(ALICE.id()).await(10, TimeUnit.SECONDS));
  }

  @Test
  void aClientGoneInTheMiddleOfItsBodyKeepsNothing() throws Exception {
    Promise<Void> gone = Promise.promise();
    GeneratedStream body = new GeneratedStream(vertx.getOrCreateContext(), QUOTA * 10, 8192);
    body.pause();
    Future<?> cut = upload(QUOTA, body, gone.future());
    vertx.setTimer(50, t -> gone.complete());
    Throwable why = cut.transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertTrue(why != null, "the upload ended");
    assertEquals(0L, stores.files().usage(ALICE.id()).await(10, TimeUnit.SECONDS));
    GeneratedStream next = new GeneratedStream(vertx.getOrCreateContext(), QUOTA, 8192);
    next.pause();
    upload(QUOTA, next, Promise.<Void>promise().future()).await(10, TimeUnit.SECONDS);
  }
}
