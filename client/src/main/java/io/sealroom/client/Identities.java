package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RsaKeys;
import io.sealroom.client.crypto.SafetyNumbers;
import io.sealroom.client.crypto.SigningKeys;
import io.sealroom.client.json.JsonObject;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Contacts' identities: their current key versions ({@code GET /api/v1/users/{id}/keys}, each
 * checked against its ukid), the key-transparency proofs of those versions, the verified list,
 * and what they make of a contact's status and safety number. It is the {@link Trust} the key
 * and send code asks. Current versions are cached for {@link #FRESH_MS} (a key change seen in a
 * room's events drops the cache at once); wrapping a room key always reads the version afresh.
 *
 * <p>Thread-safe: the caches are concurrent maps, the log and the list lock themselves. Blocks on
 * REST calls.
 */
final class Identities implements Trust {
  static final long FRESH_MS = 10_000;

  /** A user's current version as the server serves it. */
  record Current(String ukid, JsonObject publicKey, String signingX, long readAt) {
  }

  private final Function<String, JsonObject> get;
  private final KeyTransparency kt;
  private final VerifiedContacts contacts;
  private final Supplier<PrivateKeys> own;
  private final Supplier<User> self;
  private final Map<String, Current> current = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();

  Identities(Function<String, JsonObject> get, KeyTransparency kt, VerifiedContacts contacts,
      Supplier<PrivateKeys> own, Supplier<User> self) {
    this.get = get;
    this.kt = kt;
    this.contacts = contacts;
    this.own = own;
    this.self = self;
  }

  /** Remembers a username seen beside a user id (room members, senders), for messages and Identity. */
  void named(String uid, String username) {
    if (uid != null && username != null) {
      names.put(uid, username);
    }
  }

  /** The user announced new keys (user.keys.changed): read their version again when next needed. */
  void forget(String uid) {
    current.remove(uid);
  }

  /** Reads the verified list again (on connect, after unlocking, after a key change was announced). */
  void loadContacts() {
    contacts.load();
  }

  /** Checks the own version of these keys in the log (after unlocking or setting up keys). */
  void proveOwn(PrivateKeys k) {
    User me = self.get();
    if (k != null && me != null) {
      kt.prove(me.id(), me.username(), KeyVersions.ukid(k));
    }
  }

  /** The contact's identity, with the verified list read afresh and their version proven in the log. */
  Identity identity(String uid) {
    Current c = read(uid);
    VerifiedList list = contacts.load();
    String name = names.get(uid);
    if (c != null) {
      kt.prove(uid, name, c.ukid());
      proveOwn(own.get());
    }
    VerifiedList.Entry e = list.get(uid);
    return new Identity(uid, name, c == null ? null : c.ukid(),
        e != null && e.verified() ? e.ukid() : null, status(e, c), safetyNumber(uid, c));
  }

  /** Marks the contact's current version verified (after proving it in the log). */
  Identity markVerified(String uid) {
    Current c = requireKeys(uid);
    kt.prove(uid, names.get(uid), c.ukid());
    record(uid, c.ukid(), true);
    return identity(uid);
  }

  /** Accepts the contact's current version without verifying it (verified: false). */
  Identity acceptKeyChange(String uid) {
    record(uid, requireKeys(uid).ukid(), false);
    return identity(uid);
  }

  private void record(String uid, String ukid, boolean verified) {
    VerifiedList.Entry old = contacts.load().get(uid);
    // later wins when devices merge: never write an "at" that loses to the entry it replaces
    long at = Math.max(System.currentTimeMillis(), old == null ? 0 : old.at() + 1);
    contacts.put(uid, new VerifiedList.Entry(ukid, verified, at));
  }

  @Override
  public void proveVersion(String uid, String username, String ukid) {
    named(uid, username);
    kt.prove(uid, username != null ? username : names.get(uid), ukid);
  }

  @Override
  public RSAPublicKey keyForMember(String uid, String username, Object relayedJwk) {
    named(uid, username);
    current.remove(uid); // a member waits for a key after a change: never wrap to a cached version
    Current c = requireKeys(uid);
    JsonObject relayed = relayedJwk instanceof JsonObject ? (JsonObject) relayedJwk : new JsonObject(String.valueOf(relayedJwk));
    if (!c.publicKey().getString("n", "").equals(relayed.getString("n"))
        || !c.publicKey().getString("e", "").equals(relayed.getString("e"))) {
      throw new SealroomException("bad_key", "the key relayed for a waiting member is not their current key");
    }
    if (status(contacts.list().get(uid), c) == Identity.Status.CHANGED) {
      throw new IdentityChangedException(uid, names.get(uid));
    }
    kt.prove(uid, names.get(uid), c.ukid());
    try {
      return RsaKeys.parsePublicJwk(c.publicKey().encode());
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "a member's public key is unusable", e);
    }
  }

  @Override
  public void checkMembers(Room room, String selfId) {
    VerifiedList list = contacts.list();
    for (Member m : room.members()) {
      named(m.id(), m.username());
      VerifiedList.Entry e = list.get(m.id());
      if (m.id().equals(selfId) || e == null || !e.verified()) {
        continue; // only a verified contact can have a changed identity
      }
      if (status(e, cached(m.id())) == Identity.Status.CHANGED) {
        throw new IdentityChangedException(m.id(), m.username());
      }
    }
  }

  /** The status of docs/protocol.md: verified for the current version, changed for another, else unverified. */
  static Identity.Status status(VerifiedList.Entry e, Current c) {
    if (e == null || !e.verified() || c == null) {
      return Identity.Status.UNVERIFIED;
    }
    return e.ukid().equals(c.ukid()) ? Identity.Status.VERIFIED : Identity.Status.CHANGED;
  }

  private SafetyNumber safetyNumber(String uid, Current c) {
    PrivateKeys k = own.get();
    User me = self.get();
    if (c == null || c.signingX() == null || k == null || k.signingPublic() == null || me == null) {
      return null;
    }
    byte[] mine = SigningKeys.rawPublic(k.signingPublic());
    return new SafetyNumber(SafetyNumbers.of(mine, me.id(), B64.decode(c.signingX()), uid));
  }

  private Current requireKeys(String uid) {
    Current c = read(uid);
    if (c == null) {
      throw new SealroomException("no_keys", "that user has no E2E keys");
    }
    return c;
  }

  private Current cached(String uid) {
    Current c = current.get(uid);
    long age = c == null ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.readAt());
    return age <= FRESH_MS ? c : read(uid);
  }

  /** GET the current version; null when the user has no keys. The ukid must be the hash of the keys. */
  private Current read(String uid) {
    JsonObject o;
    try {
      o = get.apply("/api/v1/users/" + Rest.enc(uid) + "/keys");
    } catch (SealroomException e) {
      if ("no_keys".equals(e.code())) {
        current.remove(uid);
        return null;
      }
      throw e;
    }
    JsonObject pub = o.getJsonObject("publicKey");
    JsonObject sig = o.getJsonObject("signingKey");
    String x = sig == null ? null : sig.getString("x");
    String ukid = o.getString("ukid");
    if (pub == null || ukid == null || !ukid.equals(KeyVersions.ukid(pub.getString("n"), pub.getString("e"), x))) {
      throw new SealroomException("bad_key", "the server named a user's keys with a ukid that is not their hash");
    }
    Current c = new Current(ukid, pub, x, System.nanoTime());
    current.put(uid, c);
    return c;
  }
}
