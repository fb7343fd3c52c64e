package io.sealroom.kt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.sealroom.keys.KeyEvents;
import io.sealroom.keys.KeyService;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.testing.E2eShapes;
import io.sealroom.testing.Futures;
import io.sealroom.users.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KtService and the upload hook over a real embedded store in memory: the start-up backfill,
 * a proof that logs a version its upload failed to log, signed heads, and uploads that wait for
 * the log (and answer unavailable when it fails, repaired by the retried upload).
 */
class KtServiceTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Config.E2e E2E = new Config.E2e(true, false, false, false, 2048, 1000, false);
  private Vertx vertx;
  private RocksStores stores;
  private KtService kt;
  private LogKey key;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    stores = RocksStores.open(vertx, "mem:", 16);
    key = await(KtService.loadKey(stores.kt()));
    kt = new KtService(stores.kt(), stores.keys(), key, new KtMetrics(null));
  }

  @AfterEach
  void close() throws Exception {
    stores.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) {
    return Futures.await(f, 20);
  }

  private String user() {
    String id = Ids.newId();
    await(stores.users().insert(new User(id, "u-" + id.toLowerCase(Locale.ROOT), "$argon2id$x", List.of("user"), T0)));
    return id;
  }

  private static UserKeys keys(long at) {
    JsonObject b = E2eShapes.keysBody(1000);
    JsonObject w = b.getJsonObject("privateKey");
    return new UserKeys(new RsaPublicJwk(b.getJsonObject("publicKey").getString("n"), "AQAB"),
        new WrappedPrivateKey(1, w.getString("kdf"), w.getInteger("iter"), w.getString("salt"), w.getString("alg"),
            w.getString("iv"), w.getString("ct")),
        new SigningJwk(b.getJsonObject("signingKey").getString("x")), at);
  }

  @Test
  void backfillLogsStoredVersionsOldestFirstOnce() {
    String a = user();
    String b = user();
    UserKeys a1 = keys(T0 + 30);
    UserKeys b1 = keys(T0 + 10);
    UserKeys b2 = keys(T0 + 20);
    assertTrue(await(stores.keys().put(a, a1, "")));
    assertTrue(await(stores.keys().put(b, b1, "")));
    await(stores.keys().reset(b));
    assertTrue(await(stores.keys().put(b, b2, "")));
    assertEquals(3, await(kt.backfill()));
    assertEquals(List.of(b + "|" + b1.ukid() + "|" + (T0 + 10), b + "|" + b2.ukid() + "|" + (T0 + 20),
        a + "|" + a1.ukid() + "|" + (T0 + 30)), await(kt.leaves(0, 3)));
    assertEquals(0, await(kt.backfill()), "nothing twice");
  }

  @Test
  void aLargeBackfillKeepsTheOrderAcrossWindows() {
    int n = KtService.BACKFILL_WINDOW * 2 + 37;
    WrappedPrivateKey wrapped = keys(T0).privateKey();
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String uid = user();
      long at = T0 + (n - i) * 7L; // stored newest first
      UserKeys k = new UserKeys(new RsaPublicJwk("n-" + uid, "AQAB"), wrapped, null, at);
      assertTrue(await(stores.keys().put(uid, k, "")));
      expected.add(0, uid + "|" + k.ukid() + "|" + at);
    }
    assertEquals(n, await(kt.backfill()));
    assertEquals(expected, await(kt.leaves(0, n)));
  }

  @Test
  void aProofLogsAStoredVersionTheLogMissed() {
    String a = user();
    UserKeys a1 = keys(T0);
    assertTrue(await(stores.keys().put(a, a1, ""))); // stored, never logged
    InclusionProof p = await(kt.proof(a, a1.ukid(), null));
    assertEquals(a + "|" + a1.ukid() + "|" + T0, p.leaf());
    SignedHead head = await(kt.head());
    assertEquals(p.size(), head.size());
    assertTrue(MerkleVerify.inclusion(Merkle.leafHash(p.leaf()), p.index(), p.size(), p.path(), head.root()));
    ApiException e = (ApiException) Futures.failureOf(kt.proof(a, "AAAAAAAAAAAAAAAA", null), 20);
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals(1, await(stores.kt().size()), "an unknown version appends nothing");
  }

  @Test
  void headsAreSignedOncePerSize() {
    String a = user();
    await(kt.append(a, "ukid1", T0));
    SignedHead h1 = await(kt.head());
    assertSame(h1, await(kt.head()), "signed once per size");
    assertTrue(Heads.verify(key.x(), Heads.signedText(h1.size(), h1.root(), h1.ts()), h1.sig()));
    assertTrue(!Heads.verify(key.x(), Heads.signedText(h1.size() + 1, h1.root(), h1.ts()), h1.sig()));
    await(kt.append(a, "ukid2", T0 + 1));
    SignedHead h2 = await(kt.head());
    assertEquals(h1.size() + 1, h2.size());
    ConsistencyProof c = await(kt.consistency(h1.size(), h2.size()));
    assertTrue(MerkleVerify.consistency(h1.size(), h2.size(), h1.root(), h2.root(), c.path()));
    // the same key from the store: every node of a cluster signs alike
    assertEquals(key.x(), await(KtService.loadKey(stores.kt())).x());
  }

  @Test
  void anUploadIsAnsweredOnceItsVersionIsLogged() {
    KeyService keysService = new KeyService(stores.keys(), stores.users(), E2E, noEvents(),
        (uid, ukid, at) -> kt.append(uid, ukid, at).mapEmpty());
    String a = user();
    UserKeys a1 = keys(T0);
    assertEquals(KeyService.PutResult.CREATED, await(keysService.put(a, a1)));
    KtStoreLookup.assertLogged(stores, a, a1.ukid());
  }

  @Test
  void aFailedLogAnswersUnavailableAndTheRetriedUploadRepairsIt() {
    KeyService failing = new KeyService(stores.keys(), stores.users(), E2E, noEvents(),
        (uid, ukid, at) -> Future.failedFuture(new IllegalStateException("log down")));
    String a = user();
    UserKeys a1 = keys(T0);
    ApiException e = (ApiException) Futures.failureOf(failing.put(a, a1), 20);
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertNull(await(stores.kt().find(KtLeaf.key(a, a1.ukid()))));
    KeyService working = new KeyService(stores.keys(), stores.users(), E2E, noEvents(),
        (uid, ukid, at) -> kt.append(uid, ukid, at).mapEmpty());
    assertEquals(KeyService.PutResult.REWRAPPED, await(working.put(a, a1)));
    KtStoreLookup.assertLogged(stores, a, a1.ukid());
  }

  private static KeyEvents noEvents() {
    return new KeyEvents() {
      @Override
      public Future<Void> keysCreated(String uid) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> newVersion(String uid, String ukid) {
        return Future.succeededFuture();
      }
    };
  }

  /** Whether a version is in the log, read from the store. */
  private static final class KtStoreLookup {
    static void assertLogged(RocksStores stores, String uid, String ukid) {
      KtStore.Logged l = Futures.await(stores.kt().find(KtLeaf.key(uid, ukid)), 20);
      assertNotNull(l, uid + "|" + ukid + " is logged");
      assertTrue(l.leaf().startsWith(uid + "|" + ukid + "|"));
    }
  }

  @Test
  void rootOfTheServiceMatchesTheLeaves() {
    for (int i = 0; i < 13; i++) {
      await(kt.append(user(), "v" + i, T0 + i));
    }
    SignedHead h = await(kt.head());
    List<byte[]> hashes = await(kt.leaves(0, h.size())).stream().map(Merkle::leafHash).toList();
    assertArrayEquals(Merkle.root(hashes, 0, hashes.size()), h.root());
  }
}
