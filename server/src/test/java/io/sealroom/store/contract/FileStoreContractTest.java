package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.T0;
import static io.sealroom.store.contract.Fixtures.assertApiError;
import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.failureOf;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.race;
import static io.sealroom.store.contract.Fixtures.storedFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.files.FileStore;
import io.sealroom.files.FileStore.NotClaimable;
import io.sealroom.files.FileStore.QuotaExceeded;
import io.sealroom.files.StoredFile;
import io.sealroom.store.mongo.MongoFileStore;
import io.sealroom.store.mongo.MongoStores;
import io.sealroom.testing.Futures;
import io.sealroom.testing.GeneratedStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link FileStore} contract, on every engine: blobs streamed in and out, quota, claims, orphans. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class FileStoreContractTest {
  private static final int MB = 1024 * 1024;
  /** A chunk boundary of GridFS (255 KiB chunks), where a range read must join two chunks. */
  private static final int GRIDFS_CHUNK = 255 * 1024;

  @Parameter
  StoreEngine engine;

  private FileStore files;
  private Context context;

  @BeforeEach
  void open() {
    files = engine.stores().files();
    context = engine.vertx().getOrCreateContext();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  // ---- blobs

  @Test
  void blobsComeBackAsWritten() {
    String small = id();
    await(write(small, 11, 11));
    assertEquals(GeneratedStream.bytes(0, 11), read(small, 0, 11, false));
    String empty = id();
    await(write(empty, 0, 8192));
    assertEquals(Buffer.buffer(), read(empty, 0, 0, false));
  }

  @Test
  void threeMegabytesStreamInAndOut() throws Exception {
    String fid = id();
    int size = 3 * MB;
    await(write(fid, size, 64 * 1024));
    assertEquals(sha256(GeneratedStream.bytes(0, size)), sha256(read(fid, 0, size, false)));
  }

  @Test
  void rangesAreThoseBytes() {
    String fid = id();
    int size = 3 * MB + 12_345;
    await(write(fid, size, 10_000));
    long[][] ranges = {{0, 1}, {0, 100}, {GRIDFS_CHUNK - 1, 2}, {GRIDFS_CHUNK, 1},
        {GRIDFS_CHUNK - 10, GRIDFS_CHUNK + 20}, {1_000_000, 500_000}, {size - 10, 10}, {size - 1, 1}, {5, size - 5}};
    for (long[] r : ranges) {
      assertEquals(GeneratedStream.bytes(r[0], (int) r[1]), read(fid, r[0], r[1], false), "bytes " + r[0] + "+" + r[1]);
    }
  }

  @Test
  void aReadDeliversOnlyWhatIsFetched() {
    String fid = id();
    int size = MB + 7;
    await(write(fid, size, 32 * 1024));
    assertEquals(GeneratedStream.bytes(3, size - 3), read(fid, 3, size - 3, true));
  }

  @Test
  void anUnknownBlobIsNotFoundAndDeletingItIsNothing() {
    assertApiError(ErrorCode.NOT_FOUND, failureOf(onContext(() -> files.readBlob(id(), 0, 10))));
    await(onContext(() -> files.deleteBlob(id())));
  }

  @Test
  void aStreamThatFailsLeavesNothing() {
    String fid = id();
    ApiException limit = new ApiException(ErrorCode.TOO_LARGE, "the file is larger than 1 MiB");
    Throwable t = failureOf(onContext(() -> files.writeBlob(fid,
        new GeneratedStream(context, 2 * MB, 16 * 1024, MB, limit))));
    assertSame(limit, t, "the stream's own failure");
    assertNothingKept(fid);

    String early = id();
    failureOf(onContext(() -> files.writeBlob(early, new GeneratedStream(context, MB, 4096, 0, limit))));
    assertNothingKept(early);
  }

  @Test
  void aDeletedBlobIsGone() {
    String fid = id();
    await(write(fid, MB, 50_000).compose(v -> onContext(() -> files.deleteBlob(fid))));
    assertNothingKept(fid);
  }

  private void assertNothingKept(String fid) {
    assertApiError(ErrorCode.NOT_FOUND, failureOf(onContext(() -> files.readBlob(fid, 0, 1))));
    if (engine.stores() instanceof MongoStores mongo) {
      JsonObject ofBlob = new JsonObject().put("files_id", fid);
      assertEquals(0L, await(mongo.client().count(MongoFileStore.BUCKET + ".chunks", ofBlob)), "GridFS chunks left");
      assertEquals(0L, await(mongo.client().count(MongoFileStore.BUCKET + ".files", new JsonObject().put("_id", fid))));
    }
  }

  // ---- metadata: quota and usage

  @Test
  void addKeepsEachUserWithinTheQuota() {
    String uid = id();
    String rid = id();
    long total = await(files.totalBytes());
    StoredFile a = storedFile(uid, rid, 600, T0);
    await(files.add(a, 1000));
    assertEquals(a, await(files.find(a.id())));
    await(files.add(storedFile(uid, rid, 400, T0), 1000)); // exactly at the quota
    assertEquals(1000L, await(files.usage(uid)));

    StoredFile over = storedFile(uid, rid, 1, T0);
    assertInstanceOf(QuotaExceeded.class, failureOf(files.add(over, 1000)));
    assertNull(await(files.find(over.id())), "nothing recorded");
    assertEquals(1000L, await(files.usage(uid)));
    await(files.add(storedFile(uid, rid, 0, T0), 1000)); // an empty file fits a full quota

    String fresh = id();
    assertInstanceOf(QuotaExceeded.class, failureOf(files.add(storedFile(fresh, rid, 1001, T0), 1000)));
    assertEquals(0L, await(files.usage(fresh)));
    assertEquals(total + 1000, await(files.totalBytes()));
    assertEquals(0L, await(files.usage(id())), "a user with no files");
  }

  @Test
  void concurrentAddsNeverPassTheQuota() {
    String uid = id(); // new: the first adds race to create its usage too
    String rid = id();
    long total = await(files.totalBytes());
    List<StoredFile> tried = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      tried.add(storedFile(uid, rid, 1000, T0 + i));
    }
    List<Future<Void>> calls = race(tried.size(), i -> files.add(tried.get(i), 10_000));
    int stored = 0;
    for (int i = 0; i < calls.size(); i++) {
      Future<Void> f = calls.get(i);
      if (f.succeeded()) {
        stored++;
        assertEquals(tried.get(i), await(files.find(tried.get(i).id())));
      } else {
        assertInstanceOf(QuotaExceeded.class, f.cause());
        assertNull(await(files.find(tried.get(i).id())));
      }
    }
    assertEquals(10, stored);
    assertEquals(10_000L, await(files.usage(uid)));
    assertEquals(total + 10_000, await(files.totalBytes()));
  }

  @Test
  void aClaimProtectsAFileFromTheUploadersDeleteAndUnclaimGivesItBack() {
    String uid = id();
    String rid = id();
    StoredFile f = storedFile(uid, rid, 10, T0);
    await(files.add(f, 1000));
    long before = System.currentTimeMillis();
    await(files.claim(List.of(f.id()), uid, rid, "c-9"));
    StoredFile claimed = await(files.find(f.id()));
    assertTrue(claimed.claimedAt() >= before, "the claim's time is kept");
    assertFalse(await(files.removeUnattached(f.id(), true)), "claimed: the uploader's delete is refused");
    await(files.unclaim(List.of(f.id()), "c-other"));
    assertEquals("c-9", await(files.find(f.id())).cid(), "another cid's unclaim changes nothing");
    await(files.unclaim(List.of(f.id()), "c-9"));
    StoredFile free = await(files.find(f.id()));
    assertNull(free.cid());
    assertEquals(0, free.claimedAt());
    assertTrue(await(files.removeUnattached(f.id(), true)), "unclaimed again: deleted");
    assertEquals(0L, await(files.usage(uid)));
  }

  @Test
  void removeUnattachedTakesTheFileOffItsUsage() {
    String uid = id();
    String rid = id();
    long total = await(files.totalBytes());
    StoredFile f = storedFile(uid, rid, 300, T0);
    StoredFile claimed = storedFile(uid, rid, 200, T0);
    StoredFile attached = storedFile(uid, rid, 100, T0);
    for (StoredFile x : List.of(f, claimed, attached)) {
      await(files.add(x, 1000));
    }
    await(files.claim(List.of(claimed.id()), uid, rid, "c-1"));
    await(files.claim(List.of(attached.id()), uid, rid, "c-2"));
    await(files.confirm(List.of(attached.id())));
    assertEquals(total + 600, await(files.totalBytes()));

    assertTrue(await(files.removeUnattached(f.id(), false)));
    assertNull(await(files.find(f.id())));
    assertEquals(300L, await(files.usage(uid)));
    assertFalse(await(files.removeUnattached(f.id(), false)), "gone already");
    assertTrue(await(files.removeUnattached(claimed.id(), false)), "claimed by a message never stored");
    assertFalse(await(files.removeUnattached(attached.id(), false)));
    StoredFile kept = await(files.find(attached.id()));
    assertEquals(untimed(attached.confirmed().claimedBy("c-2")), untimed(kept));
    assertTrue(kept.claimedAt() > 0, "claimed at a time");
    assertFalse(await(files.removeUnattached(id(), false)));
    assertEquals(100L, await(files.usage(uid)));
    assertEquals(total + 100, await(files.totalBytes()));
  }

  // ---- claims

  @Test
  void aClaimTakesAllOrNone() {
    String uid = id();
    String rid = id();
    StoredFile a = add(storedFile(uid, rid, 1, T0));
    StoredFile b = add(storedFile(uid, rid, 2, T0));
    StoredFile others = add(storedFile(id(), rid, 3, T0));
    StoredFile otherRoom = add(storedFile(uid, id(), 4, T0));
    StoredFile taken = add(storedFile(uid, rid, 5, T0));
    await(files.claim(List.of(taken.id()), uid, rid, "first"));

    for (StoredFile bad : List.of(others, otherRoom, taken)) {
      NotClaimable e = assertInstanceOf(NotClaimable.class,
          failureOf(files.claim(List.of(a.id(), b.id(), bad.id()), uid, rid, "second")));
      assertEquals(bad.id(), e.fid);
    }
    String missing = id();
    assertEquals(missing, assertInstanceOf(NotClaimable.class,
        failureOf(files.claim(List.of(b.id(), missing, a.id()), uid, rid, "second"))).fid);
    assertEquals(otherRoom.id(), assertInstanceOf(NotClaimable.class,
        failureOf(files.claim(List.of(otherRoom.id(), others.id()), uid, rid, "second"))).fid, "the first in order");
    assertNull(await(files.find(a.id())).cid(), "nothing taken");
    assertNull(await(files.find(b.id())).cid());

    assertEquals(untimed(List.of(b.claimedBy("second"), a.claimedBy("second"))),
        untimed(await(files.claim(List.of(b.id(), a.id()), uid, rid, "second"))), "in the order given");
    assertEquals(untimed(List.of(a.claimedBy("second"))),
        untimed(await(files.claim(List.of(a.id()), uid, rid, "second"))), "a retry of the same message");
    assertInstanceOf(NotClaimable.class, failureOf(files.claim(List.of(a.id()), uid, rid, "third")));
    assertEquals(untimed(a.claimedBy("second")), untimed(await(files.find(a.id()))));
  }

  @Test
  void concurrentClaimsOfTheSameFilesHaveOneWinner() {
    for (int round = 0; round < 5; round++) {
      String uid = id();
      String rid = id();
      List<String> fids = addFiles(uid, rid, 4);
      int n = 8;
      List<Future<List<StoredFile>>> calls = race(n, i -> {
        List<String> order = new ArrayList<>(fids);
        java.util.Collections.rotate(order, i);
        return files.claim(order, uid, rid, "cid-" + i);
      });
      List<Integer> won = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (calls.get(i).succeeded()) {
          won.add(i);
          continue;
        }
        assertInstanceOf(NotClaimable.class, calls.get(i).cause());
      }
      assertEquals(1, won.size(), "exactly one claim wins");
      for (String fid : fids) {
        assertEquals("cid-" + won.get(0), await(files.find(fid)).cid());
      }
    }
  }

  @Test
  void overlappingConcurrentClaimsAreAllOrNone() {
    for (int round = 0; round < 5; round++) {
      String uid = id();
      String rid = id();
      List<String> f = addFiles(uid, rid, 4);
      List<List<String>> sets = List.of(List.of(f.get(0), f.get(1)), List.of(f.get(1), f.get(2)),
          List.of(f.get(2), f.get(3)), List.of(f.get(3), f.get(0)), List.of(f.get(2), f.get(0)));
      List<Future<List<StoredFile>>> calls = race(sets.size(), i -> files.claim(sets.get(i), uid, rid, "cid-" + i));
      int winners = 0;
      for (int i = 0; i < sets.size(); i++) {
        boolean won = calls.get(i).succeeded();
        winners += won ? 1 : 0;
        for (String fid : sets.get(i)) {
          assertEquals(won, ("cid-" + i).equals(await(files.find(fid)).cid()), "claim " + i + " on " + fid);
        }
      }
      assertTrue(winners >= 1, "some claim wins");
    }
  }

  @Test
  void confirmAttachesClaimedFiles() {
    String uid = id();
    String rid = id();
    StoredFile f = add(storedFile(uid, rid, 10, T0));
    await(files.claim(List.of(f.id()), uid, rid, "c"));
    await(files.confirm(List.of(f.id(), id())));
    StoredFile confirmed = await(files.find(f.id()));
    assertEquals(untimed(f.claimedBy("c").confirmed()), untimed(confirmed));
    await(files.confirm(List.of(f.id()))); // again: nothing changes
    assertEquals(confirmed, await(files.find(f.id())));
    await(files.confirm(List.of()));
  }

  // ---- orphans

  @Test
  void unattachedBeforeListsTheOldestFirst() {
    long base = 1_000 + (System.nanoTime() & 0xffff) * 1_000; // before every other test's files
    String uid = id();
    String rid = id();
    StoredFile t3 = add(storedFile(uid, rid, 1, base + 3));
    StoredFile t1 = add(storedFile(uid, rid, 1, base + 1));
    StoredFile t2a = add(storedFile(uid, rid, 1, base + 2));
    StoredFile t2b = add(storedFile(uid, rid, 1, base + 2));
    StoredFile t0attached = add(storedFile(uid, rid, 1, base));
    StoredFile t4claimed = add(storedFile(uid, rid, 1, base + 4));
    StoredFile late = add(storedFile(uid, rid, 1, base + 9));
    await(files.claim(List.of(t0attached.id()), uid, rid, "c0"));
    await(files.confirm(List.of(t0attached.id())));
    await(files.claim(List.of(t4claimed.id()), uid, rid, "c4"));
    List<StoredFile> ties = t2a.id().compareTo(t2b.id()) < 0 ? List.of(t2a, t2b) : List.of(t2b, t2a);

    List<StoredFile> expected = new ArrayList<>(List.of(t1));
    expected.addAll(ties);
    expected.add(t3);
    expected.add(t4claimed.claimedBy("c4"));
    assertEquals(untimed(expected), untimed(await(files.unattachedBefore(base + 9, 100))));
    assertEquals(untimed(expected.subList(0, 2)), untimed(await(files.unattachedBefore(base + 9, 2))));
    assertEquals(List.of(), await(files.unattachedBefore(base + 1, 100)), "created before, not at");
    assertEquals(List.of(), await(files.unattachedBefore(base + 9, 0)));

    assertTrue(await(files.removeUnattached(t1.id(), false)));
    assertEquals(untimed(expected.subList(1, 3)), untimed(await(files.unattachedBefore(base + 9, 2))));
    assertEquals(late, await(files.unattachedBefore(base + 10, 100)).get(4));
  }

  private StoredFile add(StoredFile f) {
    await(files.add(f, Long.MAX_VALUE / 4));
    return f;
  }

  private List<String> addFiles(String uid, String rid, int n) {
    List<String> fids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fids.add(add(storedFile(uid, rid, 1, T0)).id());
    }
    return fids;
  }

  /** Runs the call on the test's context, as the service calls the store from an event loop. */
  private <T> Future<T> onContext(Supplier<Future<T>> call) {
    return Futures.on(context, call);
  }

  private Future<Void> write(String fid, long size, int piece) {
    return onContext(() -> files.writeBlob(fid, new GeneratedStream(context, size, piece)));
  }

  /** The bytes of a read as it flows, or (paced) fetched one buffer at a time, each a millisecond after the last. */
  private Buffer read(String fid, long offset, long length, boolean paced) {
    return await(onContext(() -> files.readBlob(fid, offset, length).compose(blob -> {
      Promise<Buffer> done = Promise.promise();
      Buffer acc = Buffer.buffer();
      ReadStream<Buffer> s = blob.stream();
      if (paced) {
        s.pause();
      }
      s.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete(acc)).handler(b -> {
        acc.appendBuffer(b);
        if (paced) {
          engine.vertx().setTimer(1, t -> s.fetch(1));
        }
      });
      s.fetch(paced ? 1 : 0);
      return done.future().andThen(ar -> blob.close());
    })));
  }

  private static String sha256(Buffer b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.getBytes()));
  }

  /** The file without its claim time (which the store sets when it takes the claim). */
  private static StoredFile untimed(StoredFile f) {
    return new StoredFile(f.id(), f.rid(), f.uid(), f.size(), f.sha256(), f.name(), f.type(), f.createdAt(), f.cid(),
        f.attached());
  }

  private static List<StoredFile> untimed(List<StoredFile> list) {
    return list.stream().map(FileStoreContractTest::untimed).toList();
  }
}
