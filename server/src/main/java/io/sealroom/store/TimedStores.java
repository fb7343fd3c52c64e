package io.sealroom.store;

import io.sealroom.keys.KeyStore;
import io.sealroom.keys.UserKeys;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.Membership;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The stores of an engine, every operation bound by a {@link StoreDeadline}: what the services
 * use, so that no request waits on the store longer than {@code store.opTimeoutMs}, on either
 * engine. Moving data (export, import) and engine-specific work (backups, the cluster's signing
 * key) use the engine's {@link Stores} directly.
 */
public final class TimedStores {
  private final Stores stores;
  private final StoreDeadline deadline;
  private final UserStore users;
  private final KeyStore keys;
  private final RoomStore rooms;
  private final RoomKeyStore roomKeys;
  private final MessageStore messages;
  private final io.sealroom.kt.KtStore kt;

  public TimedStores(Stores stores, StoreDeadline deadline) {
    this.stores = stores;
    this.deadline = deadline;
    this.users = new Users(stores.users(), deadline);
    this.keys = new Keys(stores.keys(), deadline);
    this.rooms = new Rooms(stores.rooms(), deadline);
    this.roomKeys = new RoomKeys(stores.roomKeys(), deadline);
    this.messages = new Messages(stores.messages(), deadline);
    this.kt = new TimedKt(stores.kt(), deadline);
  }

  public StoreDeadline deadline() {
    return deadline;
  }

  public UserStore users() {
    return users;
  }

  public KeyStore keys() {
    return keys;
  }

  public RoomStore rooms() {
    return rooms;
  }

  public RoomKeyStore roomKeys() {
    return roomKeys;
  }

  public MessageStore messages() {
    return messages;
  }

  /** The key-transparency log; its start-up scan ({@code unlogged}) is not bounded (it is no request's). */
  public io.sealroom.kt.KtStore kt() {
    return kt;
  }

  public io.sealroom.keys.VerifiedStore verified() {
    return new TimedVerified(stores.verified(), deadline);
  }

  private record TimedVerified(io.sealroom.keys.VerifiedStore s, StoreDeadline d) implements io.sealroom.keys.VerifiedStore {
    @Override
    public Future<Stored> get(String uid) {
      return d.bound(s.get(uid));
    }

    @Override
    public Future<Written> put(String uid, long expectedRev, io.vertx.core.json.JsonObject blob) {
      return d.bound(s.put(uid, expectedRev, blob));
    }
  }

  public io.sealroom.files.FileStore files() {
    return new TimedFiles(stores.files(), deadline);
  }

  /** Succeeds when the store answers within the deadline. */
  public Future<Void> ping() {
    return deadline.bound(stores.ping());
  }

  private record Users(UserStore s, StoreDeadline d) implements UserStore {
    @Override
    public Future<Void> insert(User user) {
      return d.bound(s.insert(user));
    }

    @Override
    public Future<User> findByUsername(String username) {
      return d.bound(s.findByUsername(username));
    }

    @Override
    public Future<User> findById(String id) {
      return d.bound(s.findById(id));
    }

    @Override
    public Future<List<User>> findByIds(Collection<String> ids) {
      return d.bound(s.findByIds(ids));
    }

    @Override
    public Future<SessionCutoff> sessionCutoff(String id) {
      return d.bound(s.sessionCutoff(id));
    }

    @Override
    public Future<Void> endSessions(String id, SessionCutoff cutoff) {
      return d.bound(s.endSessions(id, cutoff));
    }

    @Override
    public Future<Void> updatePasswordHash(String id, String expected, String hash) {
      return d.bound(s.updatePasswordHash(id, expected, hash));
    }
  }

  private record Keys(KeyStore s, StoreDeadline d) implements KeyStore {
    @Override
    public Future<UserKeys> get(String uid) {
      return d.bound(s.get(uid));
    }

    @Override
    public Future<Map<String, UserKeys>> getAll(Collection<String> uids) {
      return d.bound(s.getAll(uids));
    }

    @Override
    public Future<Boolean> put(String uid, UserKeys keys, String expectedFingerprint) {
      return d.bound(s.put(uid, keys, expectedFingerprint));
    }

    @Override
    public Future<Void> reset(String uid) {
      return d.bound(s.reset(uid));
    }

    @Override
    public Future<List<io.sealroom.keys.KeyVersion>> versions(String uid) {
      return d.bound(s.versions(uid));
    }
  }

  private record Rooms(RoomStore s, StoreDeadline d) implements RoomStore {
    @Override
    public Future<Void> insertRoom(Room room) {
      return d.bound(s.insertRoom(room));
    }

    @Override
    public Future<Room> findRoom(String rid) {
      return d.bound(s.findRoom(rid));
    }

    @Override
    public Future<Room> findDm(String dmKey) {
      return d.bound(s.findDm(dmKey));
    }

    @Override
    public Future<List<Room>> findRooms(Collection<String> rids) {
      return d.bound(s.findRooms(rids));
    }

    @Override
    public Future<Void> upsertMemberships(List<Membership> subs) {
      return d.bound(s.upsertMemberships(subs));
    }

    @Override
    public Future<Membership> findMembership(String rid, String uid) {
      return d.bound(s.findMembership(rid, uid));
    }

    @Override
    public Future<List<Membership>> membershipsOfUser(String uid) {
      return d.bound(s.membershipsOfUser(uid));
    }

    @Override
    public Future<List<Membership>> membershipsOfRoom(String rid) {
      return d.bound(s.membershipsOfRoom(rid));
    }

    @Override
    public Future<Boolean> deleteMembership(String rid, String uid) {
      return d.bound(s.deleteMembership(rid, uid));
    }

    @Override
    public Future<Room> update(String rid, String name, Boolean encrypted, Boolean rotationDue) {
      return d.bound(s.update(rid, name, encrypted, rotationDue));
    }
  }

  private record RoomKeys(RoomKeyStore s, StoreDeadline d) implements RoomKeyStore {
    @Override
    public Future<Room> establish(String rid, String kid) {
      return d.bound(s.establish(rid, kid));
    }

    @Override
    public Future<Room> rotate(String rid, String previousKid, String kid) {
      return d.bound(s.rotate(rid, previousKid, kid));
    }

    @Override
    public Future<MemberKeys> memberKeys(String rid, String uid) {
      return d.bound(s.memberKeys(rid, uid));
    }

    @Override
    public Future<Void> setKey(String rid, String uid, MemberKey key) {
      return d.bound(s.setKey(rid, uid, key));
    }

    @Override
    public Future<Void> retire(String rid, String kid) {
      return d.bound(s.retire(rid, kid));
    }
  }

  private record Messages(MessageStore s, StoreDeadline d) implements MessageStore {
    @Override
    public Future<Long> head(String rid) {
      return d.bound(s.head(rid));
    }

    @Override
    public Future<Integer> insertOrdered(List<Message> batch) {
      return d.bound(s.insertOrdered(batch));
    }

    @Override
    public Future<Void> raiseHeads(Map<String, Long> heads) {
      return d.bound(s.raiseHeads(heads));
    }

    @Override
    public Future<Message> findByCid(String uid, String cid) {
      return d.bound(s.findByCid(uid, cid));
    }

    @Override
    public Future<List<Message>> range(String rid, long from, long to) {
      return d.bound(s.range(rid, from, to));
    }

    @Override
    public Future<List<Message>> searchText(Collection<String> rids, String literal, int limit) {
      return d.bound(s.searchText(rids, literal, limit));
    }
  }
}
