package io.sealroom.client;

import io.sealroom.client.crypto.E2ePassword;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.KeyWrap;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.WrongPasswordException;
import io.sealroom.client.json.JsonObject;
import java.util.logging.Logger;

/**
 * The user's end-to-end keys: an RSA-OAEP-2048 key pair (room keys are wrapped to it) and an
 * Ed25519 signing key, kept on the server wrapped under the E2E password (PBKDF2-SHA256 +
 * AES-256-GCM), which the server never learns. Get it from {@link SealroomClient#e2e()}.
 *
 * <p>All methods block (key wrapping runs the configured PBKDF2 iterations: about half a
 * second at the default 600,000). Thread-safe; the unlocked keys live only in this object.
 */
public final class E2e {
  private static final Logger LOG = Logger.getLogger(E2e.class.getName());
  private final Rest rest;
  private final int iterations;
  private volatile Core core;
  private volatile Identities identities;
  private volatile PrivateKeys keys;

  E2e(Rest rest, int iterations) {
    this.rest = rest;
    this.iterations = iterations;
  }

  void attach(Core c, Identities ids) {
    core = c;
    identities = ids;
  }

  PrivateKeys keys() {
    return keys;
  }

  /** What the server says (enabled, hasKeys) and whether this client holds the unlocked keys. */
  public E2eStatus status() {
    JsonObject e2e = rest.get("/api/v1/me").getJsonObject("e2e", new JsonObject());
    return new E2eStatus(e2e.getBoolean("enabled", true), e2e.getBoolean("hasKeys", false), keys != null);
  }

  public boolean isUnlocked() {
    return keys != null;
  }

  /**
   * The key version this client signs with (its ukid, sent with every encrypted message), or
   * null while locked. A reset followed by {@link #setup()} starts a new version.
   */
  public String ukid() {
    PrivateKeys k = keys;
    return k == null ? null : KeyVersions.ukid(k);
  }

  /**
   * First-time setup: generates the key pair, the signing key and a 7-word E2E password,
   * stores the wrapped keys on the server and unlocks this client. Show the returned password
   * to the user once: it is the only way to unlock the keys on another device.
   *
   * @throws SealroomException "keys_exist" when the user already has keys (unlock or reset instead)
   * @throws KeyTransparencyException when the server stored the keys but its log does not prove
   *     them: the client stays locked (reset the keys; the server is not to be trusted with them)
   */
  public String setup() {
    PrivateKeys k = PrivateKeys.generate();
    String password = E2ePassword.generate();
    store(k, password);
    proveOwn(k);
    unlocked(k);
    return password;
  }

  /**
   * Unlocks the stored keys with the E2E password (on a new device, or after a restart). The
   * key-transparency log must prove the version first: the client stays locked otherwise.
   *
   * @throws WrongE2ePasswordException when the password does not open them
   * @throws KeyTransparencyException when the log does not prove the user's own version
   * @throws SealroomException "no_keys" when the user has not set up E2E yet
   */
  public void unlock(String password) {
    JsonObject stored = rest.get("/api/v1/e2e/keys");
    String json;
    try {
      json = KeyWrap.unwrap(password.toCharArray(), jsonText(stored.getValue("privateKey")));
    } catch (WrongPasswordException e) {
      throw new WrongE2ePasswordException();
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "the stored private key cannot be read", e);
    }
    PrivateKeys k;
    try {
      k = PrivateKeys.fromJson(json);
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "the stored private key cannot be read", e);
    }
    JsonObject pub = new JsonObject(jsonText(stored.getValue("publicKey")));
    if (!new JsonObject(k.publicJwk()).getString("n").equals(pub.getString("n"))) {
      throw new SealroomException("bad_key", "the stored public key does not belong to the private key");
    }
    checkUkid(stored.getString("ukid"), k);
    proveOwn(k);
    unlocked(k);
  }

  /** Re-wraps the same keys under a new generated password and returns it (show it once). */
  public String changePassword() {
    return changePassword(E2ePassword.generate());
  }

  /**
   * Re-wraps the same keys under {@code newPassword}; from now on other devices unlock with
   * it. Needs this client unlocked. Returns {@code newPassword}.
   */
  public String changePassword(String newPassword) {
    PrivateKeys k = keys;
    if (k == null) {
      throw new SealroomException("e2e_locked", "unlock E2E before changing its password");
    }
    if (newPassword == null || newPassword.isBlank()) {
      throw new IllegalArgumentException("the new E2E password is empty");
    }
    store(k, newPassword);
    return newPassword;
  }

  /**
   * Resets the user's E2E keys, confirmed with the login password: the server drops the keys
   * and every room key held for the user, and ends the user's other sessions. This client
   * continues with the new token the server returns, locked; call {@link #setup()} for new keys.
   */
  public void reset(String loginPassword) {
    Core c = core;
    if (c != null) {
      c.resetStarting();
    }
    JsonObject res;
    try {
      res = rest.delete("/api/v1/e2e/keys", new JsonObject().put("password", loginPassword));
    } catch (SealroomException e) {
      if (c != null) {
        c.resetFailed();
      }
      throw e;
    }
    String token = res.getString("token");
    if (token != null) {
      rest.token(token);
    }
    keys = null;
    if (c != null) {
      c.keysReset();
    }
  }

  private void store(PrivateKeys k, String password) {
    String wrapped = KeyWrap.wrap(password.toCharArray(), k.toJson(), iterations);
    JsonObject body = new JsonObject().put("publicKey", new JsonObject(k.publicJwk()))
        .put("privateKey", new JsonObject(wrapped));
    if (k.signingJwk() != null) {
      body.put("signingKey", new JsonObject(k.signingJwk()));
    }
    checkUkid(rest.put("/api/v1/e2e/keys", body).getString("ukid"), k);
  }

  /** The server names versions by the same hash: a different answer is its bug, not ours to hide. */
  private static void checkUkid(String server, PrivateKeys k) {
    if (server != null && !server.equals(KeyVersions.ukid(k))) {
      LOG.warning("the server names this key version " + server + ", the SDK " + KeyVersions.ukid(k));
    }
  }

  private void proveOwn(PrivateKeys k) {
    Identities ids = identities;
    if (ids != null) {
      ids.proveOwn(k);
    }
  }

  private void unlocked(PrivateKeys k) {
    keys = k;
    Core c = core;
    if (c != null) {
      c.unlocked();
    }
  }

  private static String jsonText(Object v) {
    return v instanceof JsonObject ? ((JsonObject) v).encode() : String.valueOf(v);
  }
}
