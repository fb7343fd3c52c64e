package io.sealroom.keys;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * A user's own E2E keys: upload (first time, or a re-wrap of the same key pair after a
 * password change), fetch, and the public parts for others. Every operation answers
 * e2e_disabled when E2E is off. Stateless and thread-safe.
 */
public final class KeyService {
  /** Whether an upload created the keys or re-wrapped existing ones. */
  public enum PutResult { CREATED, REWRAPPED }

  private final KeyStore keys;
  private final UserStore users;
  private final KeyShapes shapes;
  private final boolean enabled;
  private volatile Consumer<String> onCreated = uid -> { };

  public KeyService(KeyStore keys, UserStore users, Config.E2e config) {
    this.keys = keys;
    this.users = users;
    this.shapes = new KeyShapes(config);
    this.enabled = config.enabled();
  }

  /** Called with the user id after a user got keys for the first time (they may now be waiting for room keys). */
  public void onKeysCreated(Consumer<String> listener) {
    this.onCreated = listener;
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
          onCreated.accept(uid);
          return Future.succeededFuture(PutResult.CREATED);
        }
        return Future.succeededFuture(PutResult.REWRAPPED);
      });
    });
  }

  /** Removes the user's keys and every room key they held (the caller has re-checked the login password). */
  public Future<Void> reset(String uid) {
    return requireEnabled().compose(v -> keys.reset(uid))
        .onSuccess(v -> io.sealroom.logging.SecurityLog.event("key_reset").with("userId", uid).log());
  }

  private static ApiException noKeys(String message) {
    return new ApiException(ErrorCode.NO_KEYS, message);
  }
}
