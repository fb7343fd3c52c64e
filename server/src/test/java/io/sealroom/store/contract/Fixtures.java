package io.sealroom.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomType;
import io.sealroom.rooms.Membership;
import io.sealroom.users.User;
import io.sealroom.testing.Futures;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Records with fresh ids, and blocking waits on store futures, for the contract tests. */
final class Fixtures {
  static final long WAIT_S = 10;
  static final long T0 = 1_700_000_000_000L;

  private Fixtures() {
  }

  // ---- waiting

  /** The future's value; fails the test when it fails or takes longer than WAIT_S. */
  static <T> T await(Future<T> f) {
    return Futures.await(f, WAIT_S);
  }

  /** The failure of the future; fails the test when it succeeds. */
  static Throwable failureOf(Future<?> f) {
    return Futures.failureOf(f, WAIT_S);
  }

  static void assertApiError(ErrorCode expected, Throwable t) {
    assertEquals(expected, assertInstanceOf(ApiException.class, t).code());
  }

  /**
   * Makes n calls at once: n threads wait at a gate, then each makes call i. Returns the calls'
   * futures in order of i once every one of them has completed.
   */
  static <T> List<Future<T>> race(int n, IntFunction<Future<T>> call) {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<Future<T>>> started = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        started.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return call.apply(k);
        }));
      }
      ready.await();
      go.countDown();
      List<Future<T>> calls = new ArrayList<>();
      for (java.util.concurrent.Future<Future<T>> s : started) {
        calls.add(s.get(WAIT_S, TimeUnit.SECONDS));
      }
      await(Future.join(calls).transform(done -> Future.succeededFuture()));
      return calls;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("a racing call could not be made", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The completed futures that succeeded. */
  static <T> List<Future<T>> succeeded(List<Future<T>> calls) {
    return calls.stream().filter(Future::succeeded).toList();
  }

  /** The indexes of the calls that answered true or a non-null value; fails the test when a call failed. */
  static <T> List<Integer> winners(List<Future<T>> calls) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      Future<T> f = calls.get(i);
      if (f.failed()) {
        throw new AssertionError("call " + i + " failed: " + f.cause(), f.cause());
      }
      if (f.result() != null && !Boolean.FALSE.equals(f.result())) {
        out.add(i);
      }
    }
    return out;
  }

  // ---- records

  static String id() {
    return Ids.newId();
  }

  /** A user with a fresh id and a fresh lower-case username. */
  static User user() {
    String id = id();
    return user(id, "user-" + id.toLowerCase(Locale.ROOT));
  }

  static User user(String id, String username) {
    return new User(id, username, "$argon2id$hash-of-" + id, List.of("user"), T0);
  }

  static Room channel() {
    return new Room(id(), RoomType.CHANNEL, "room " + id(), id(), false, null, false, 0, T0, null);
  }

  static Room encryptedRoom() {
    return new Room(id(), RoomType.PRIVATE, "secret " + id(), id(), true, null, false, 0, T0, null);
  }

  static Room dm(String dmKey) {
    return new Room(id(), RoomType.DIRECT, null, id(), false, null, false, 0, T0, dmKey);
  }

  static Membership member(String rid, String uid) {
    return new Membership(rid, uid, "name-" + uid, Membership.Role.MEMBER, T0, null);
  }

  static Membership owner(String rid, String uid) {
    return new Membership(rid, uid, "name-" + uid, Membership.Role.OWNER, T0, null);
  }

  static MemberKey memberKey(String kid) {
    return new MemberKey(kid, "RSA-OAEP-256", "ct-" + id());
  }

  /** Keys whose public parts are unique to this call. */
  static UserKeys keys() {
    String tag = id();
    return new UserKeys(new RsaPublicJwk("n-" + tag, "AQAB"), wrapped(), new SigningJwk("x-" + tag), T0);
  }

  /** The same public keys under a new wrapping of the private key: what a password change uploads. */
  static UserKeys rewrapped(UserKeys k) {
    return new UserKeys(k.publicKey(), wrapped(), k.signingKey(), k.updatedAt() + 1);
  }

  private static WrappedPrivateKey wrapped() {
    String tag = id();
    return new WrappedPrivateKey(1, "PBKDF2-SHA256", 600_000, "salt-" + tag, "A256GCM", "iv-" + tag, "ct-" + tag);
  }

  static Message text(String rid, long seq, String uid, String cid, String text, long ts) {
    return new Message(id(), rid, seq, uid, "name-" + uid, ts, cid, text, null);
  }

  static Message text(String rid, long seq, String text) {
    return text(rid, seq, id(), id(), text, T0 + seq);
  }

  static Message encrypted(String rid, long seq, String ct) {
    String uid = id();
    return new Message(id(), rid, seq, uid, "name-" + uid, T0 + seq, id(), null,
        new E2ePayload("kid-1", "iv-" + seq, ct, "sig-" + seq));
  }

  /** An e2e message that names its signer's key version. */
  static Message encryptedWithUkid(String rid, long seq, String ct, String ukid) {
    String uid = id();
    return new Message(id(), rid, seq, uid, "name-" + uid, T0 + seq, id(), null,
        new E2ePayload("kid-1", "iv-" + seq, ct, "sig-" + seq, ukid));
  }

  /** A timeline event (member.added of some user) with the internal cid events get. */
  static Message event(String rid, long seq) {
    String uid = id();
    return new Message(id(), rid, seq, uid, "name-" + uid, T0 + seq, Message.EVENT_CID_PREFIX + id(), null, null,
        io.sealroom.rooms.TimelineEvent.member(io.sealroom.rooms.TimelineEvent.MEMBER_ADDED, "u-" + seq, "member " + seq));
  }

  /** A stored file's metadata, unclaimed; even sizes get a name and type (a plain room's upload), odd ones none. */
  static io.sealroom.files.StoredFile storedFile(String uid, String rid, long size, long createdAt) {
    boolean plain = size % 2 == 0;
    return new io.sealroom.files.StoredFile(id(), rid, uid, size, "0".repeat(63) + (size % 10), plain ? "f.txt" : null,
        plain ? "text/plain" : null, createdAt, null, false);
  }

  /** Text messages with seqs from..from+count-1, each from a fresh user with a fresh cid. */
  static List<Message> texts(String rid, long from, int count) {
    List<Message> out = new ArrayList<>();
    for (long seq = from; seq < from + count; seq++) {
      out.add(text(rid, seq, "message " + seq));
    }
    return out;
  }
}
