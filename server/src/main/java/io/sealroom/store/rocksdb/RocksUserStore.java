package io.sealroom.store.rocksdb;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.store.Docs;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link UserStore} on the embedded store: "u uid" holds the document, "n username" the uid, both
 * written in one operation of the single writer, which also decides that a username is taken.
 */
public final class RocksUserStore implements UserStore {
  private final RocksEngine engine;

  public RocksUserStore(RocksEngine engine) {
    this.engine = engine;
  }

  static byte[] userKey(String uid) {
    return Codec.key(Codec.USER, uid);
  }

  @Override
  public Future<Void> insert(User u) {
    return engine.write(tx -> {
      if (tx.get(userKey(u.id())) != null) {
        throw new ApiException(ErrorCode.USERNAME_TAKEN, "that account exists");
      }
      putUser(tx, Docs.user(u));
      return null;
    });
  }

  /** Writes a user document and its username key; fails username_taken when the name is another user's. */
  static void putUser(Tx tx, JsonObject doc) {
    byte[] byName = Codec.key(Codec.USERNAME, doc.getString("username"));
    byte[] owner = tx.get(byName);
    if (owner != null && !Codec.string(owner).equals(doc.getString("_id"))) {
      throw new ApiException(ErrorCode.USERNAME_TAKEN, "that username is taken");
    }
    tx.put(byName, Codec.utf8(doc.getString("_id")));
    tx.put(userKey(doc.getString("_id")), doc);
  }

  @Override
  public Future<User> findByUsername(String username) {
    return engine.read(v -> {
      byte[] uid = v.get(Codec.key(Codec.USERNAME, username));
      JsonObject d = uid == null ? null : v.doc(userKey(Codec.string(uid)));
      return d == null ? null : Docs.toUser(d);
    });
  }

  @Override
  public Future<User> findById(String id) {
    return engine.read(v -> {
      JsonObject d = v.doc(userKey(id));
      return d == null ? null : Docs.toUser(d);
    });
  }

  @Override
  public Future<List<User>> findByIds(Collection<String> ids) {
    List<String> wanted = List.copyOf(ids);
    return engine.read(v -> {
      List<User> out = new ArrayList<>();
      for (String id : wanted) {
        JsonObject d = v.doc(userKey(id));
        if (d != null) {
          out.add(Docs.toUser(d));
        }
      }
      return out;
    });
  }

  @Override
  public Future<SessionCutoff> sessionCutoff(String id) {
    return engine.read(v -> {
      JsonObject d = v.doc(userKey(id));
      return d == null ? new SessionCutoff(0, "")
          : new SessionCutoff(d.getLong("tokensValidAfter", 0L), d.getString("keepSession", ""));
    });
  }

  @Override
  public Future<Void> endSessions(String id, SessionCutoff cutoff) {
    return engine.write(tx -> {
      JsonObject d = tx.doc(userKey(id));
      if (d != null) {
        d.put("tokensValidAfter", cutoff.validAfterMs()).put("keepSession", cutoff.keepSid() == null ? "" : cutoff.keepSid());
        tx.put(userKey(id), d);
      }
      return null;
    });
  }

  @Override
  public Future<Void> updatePasswordHash(String id, String expected, String hash) {
    return engine.write(tx -> {
      JsonObject d = tx.doc(userKey(id));
      if (d != null && expected.equals(d.getString("passwordHash"))) {
        tx.put(userKey(id), d.put("passwordHash", hash));
      }
      return null;
    });
  }
}
