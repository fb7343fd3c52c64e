package io.sealroom.keys;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;

/**
 * A user's own E2E keys: upload (first time, or a re-wrap of the same key pair after a
 * password change), fetch, and the public parts for others. Every operation answers
 * e2e_disabled when E2E is off. An upload that stores keys where there were none tells its
 * {@link KeyEvents} (first keys, and a new key version after a reset). Thread-safe; its only
 * state is a bounded cache of users' current key versions.
 */
public final class KeyService {
  /** Whether an upload created the keys or re-wrapped existing ones. */
  public enum PutResult { CREATED, REWRAPPED }

  private final KeyStore keys;
  private final UserStore users;
  private final KeyShapes shapes;
  private final boolean enabled;
  private final KeyEvents events;
  /** Each user's current ukid ("" for none), as last read: sends that name a ukid are checked against it. */
  private final java.util.Map<String, Cached> currentUkids = new java.util.concurrent.ConcurrentHashMap<>();
  static final long UKID_TTL_MS = 5_000;
  static final int UKID_CACHE = 100_000;

  private record Cached(String ukid, long readAtMs) {
  }

  /**
   * Where key versions are logged (the key-transparency log): an upload that starts a version
   * is answered only once it is logged.
   */
  @FunctionalInterface
  public interface KeyLog {
    /** Logs the version (a logged one stays as it is); completes once it is durable. */
    Future<Void> log(String uid, String ukid, long createdAt);

    /** No log: nothing to wait for. */
    KeyLog NONE = (uid, ukid, createdAt) -> Future.succeededFuture();
  }

  private final KeyLog keyLog;

  /** {@code events} hears of keys stored where there were none. */
  public KeyService(KeyStore keys, UserStore users, Config.E2e config, KeyEvents events) {
    this(keys, users, config, events, KeyLog.NONE);
  }

  /** As above; every key version uploaded is logged in {@code keyLog} before the upload is answered. */
  public KeyService(KeyStore keys, UserStore users, Config.E2e config, KeyEvents events, KeyLog keyLog) {
    this.keys = keys;
    this.users = users;
    this.shapes = new KeyShapes(config);
    this.enabled = config.enabled();
    this.events = events;
    this.keyLog = keyLog;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Fails e2e_disabled when E2E is off. */
  public Future<Void> requireEnabled() {
    return enabled ? Future.succeededFuture()
        : Future.failedFuture(new ApiException(ErrorCode.E2E_DISABLED, "end-to-end encryption is disabled on this server"));
  }

  /** Whether the user has uploaded keys (false when E2E is off). */
  public Future<Boolean> hasKeys(String uid) {
    return enabled ? keys.get(uid).map(k -> k != null) : Future.succeededFuture(false);
  }

  public Future<UserKeys> own(String uid) {
    return requireEnabled().compose(v -> keys.get(uid)).compose(k -> k == null
        ? Future.failedFuture(noKeys("you have no E2E keys yet")) : Future.succeededFuture(k));
  }

  /** Another user's keys (callers expose only the public parts). */
  public Future<UserKeys> of(String uid) {
    return requireEnabled().compose(v -> users.findById(uid)).compose(u -> {
      if (u == null) {
        return Future.failedFuture(ApiException.notFound("user"));
      }
      return keys.get(uid).compose(k -> k == null
          ? Future.failedFuture(noKeys("that user has no E2E keys yet")) : Future.succeededFuture(k));
    });
  }

  /** Keys of those of these users who have any (for the public parts). */
  public Future<java.util.Map<String, UserKeys>> publicKeys(java.util.Collection<String> uids) {
    return keys.getAll(uids);
  }

  public Future<PutResult> put(String uid, UserKeys upload) {
    try {
      shapes.checkPublicKey(upload.publicKey());
      shapes.checkWrappedPrivateKey(upload.privateKey());
      if (upload.signingKey() != null) {
        shapes.checkSigningKey(upload.signingKey());
      }
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return requireEnabled().compose(v -> keys.get(uid)).compose(existing -> {
      if (existing != null && !existing.fingerprint().equals(upload.fingerprint())) {
        return Future.failedFuture(new ApiException(ErrorCode.KEYS_EXIST,
            "you already have a different key pair: reset it first"));
      }
      return keys.put(uid, upload, existing == null ? "" : existing.fingerprint()).compose(ok -> {
        if (!ok) {
          return Future.failedFuture(new ApiException(ErrorCode.KEYS_EXIST, "another key pair was stored meanwhile"));
        }
        if (existing == null) {
          currentUkids.remove(uid);
          events.keysCreated(uid); // not awaited: the upload is answered without it
          return keys.versions(uid).compose(versions -> {
            // logged before the answer; the user's rooms hear of a new version even if logging
            // failed (a retried upload is a re-wrap, which logs it then)
            Future<Void> logged = logCurrent(uid, versions, upload);
            return logged.transform(done -> versions.size() > 1
                    ? events.newVersion(uid, upload.ukid()) : Future.<Void>succeededFuture())
                .compose(v -> logged.map(PutResult.CREATED));
          });
        }
        // the same version again: it is logged already, unless its upload's append failed
        return keys.versions(uid).compose(versions -> logCurrent(uid, versions, upload)).map(PutResult.REWRAPPED);
      });
    });
  }

  /** Logs the upload's version (its createdAt as stored); a failure is unavailable, which a retried upload repairs. */
  private Future<Void> logCurrent(String uid, java.util.List<KeyVersion> versions, UserKeys upload) {
    long createdAt = upload.updatedAt();
    for (KeyVersion v : versions) {
      if (v.current() && v.ukid().equals(upload.ukid())) {
        createdAt = v.createdAt();
      }
    }
    return keyLog.log(uid, upload.ukid(), createdAt)
        .recover(t -> Future.failedFuture(t instanceof ApiException a && a.code() != ErrorCode.UNAVAILABLE
            ? t : ApiException.unavailable()));
  }

  /** Removes the user's keys and every room key they held (the caller has re-checked the login password). */
  public Future<Void> reset(String uid) {
    return requireEnabled().compose(v -> keys.reset(uid))
        .onComplete(ar -> currentUkids.remove(uid))
        .onSuccess(v -> io.sealroom.logging.SecurityLog.event("key_reset").with("userId", uid).log());
  }

  /** A user's key versions, oldest first (any user may read them: they hold public keys only). */
  public Future<java.util.List<KeyVersion>> versions(String uid) {
    return requireEnabled().compose(v -> users.findById(uid)).compose(u -> u == null
        ? Future.failedFuture(ApiException.notFound("user")) : keys.versions(uid));
  }

  /**
   * Fails stale_key unless {@code ukid} names the user's current key version. Known for
   * {@link #UKID_TTL_MS} after it was read (a reset on this node forgets it at once; on another
   * node, within that time); a mismatch is read again before it is refused.
   */
  public Future<Void> checkCurrent(String uid, String ukid) {
    Cached c = currentUkids.get(uid);
    long now = System.currentTimeMillis();
    if (c != null && now - c.readAtMs() < UKID_TTL_MS && c.ukid().equals(ukid)) {
      return Future.succeededFuture();
    }
    return keys.get(uid).compose(k -> {
      String current = k == null ? "" : k.ukid();
      if (currentUkids.size() >= UKID_CACHE) {
        currentUkids.clear(); // bounded: a burst of senders only costs reads
      }
      currentUkids.put(uid, new Cached(current, now));
      return current.equals(ukid) ? Future.succeededFuture()
          : Future.failedFuture(new ApiException(ErrorCode.STALE_KEY,
              "e2e.ukid is not your current key version: your keys changed, reload them",
              new io.vertx.core.json.JsonObject().put("ukid", current.isEmpty() ? null : current)));
    });
  }

  private static ApiException noKeys(String message) {
    return new ApiException(ErrorCode.NO_KEYS, message);
  }
}
