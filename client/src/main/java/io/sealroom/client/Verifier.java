package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.SigningKeys;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks a message's signature against the sender's key version that made it: the version its
 * {@code e2e.ukid} names, or, for a message without one, the version current at its {@code ts}.
 * Versions come from GET /api/v1/users/{id}/keys/history and are cached per user; each is
 * checked against its ukid before it is used (the server cannot file other keys under a ukid).
 * The cache is read again for a ukid it does not know (once per ukid), after the user announced
 * new keys ({@link #forget}), and once when a message without ukid fails (the cache may predate
 * a newer version). A message signed under an earlier version verifies; only a signature that
 * fails against the right version is BAD_SIGNATURE. A signature that verifies counts only once
 * the key-transparency log proves its version ({@link Trust#proveVersion}); else it is
 * UNPROVEN_KEY. Engine-confined.
 */
final class Verifier {
  private static final Logger LOG = Logger.getLogger(Verifier.class.getName());

  /** One key version: its signing key (null when it had none) and when it was current. */
  record Version(String ukid, PublicKey signing, long createdAt, Long endedAt) {
    boolean coversTs(long ts) {
      return createdAt <= ts && (endedAt == null || ts <= endedAt);
    }
  }

  /** A user's versions, oldest first, and the ukids a fresh read did not know. */
  private static final class Versions {
    final List<Version> list;
    final Set<String> unknown = new HashSet<>();

    Versions(List<Version> list) {
      this.list = list;
    }

    Version byUkid(String ukid) {
      return list.stream().filter(v -> v.ukid().equals(ukid)).findFirst().orElse(null);
    }

    /** The version current at ts; before the first one, the first (keys uploaded before versions were kept). */
    Version at(long ts) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (list.get(i).coversTs(ts)) {
          return list.get(i);
        }
      }
      return !list.isEmpty() && ts < list.get(0).createdAt() ? list.get(0) : null;
    }
  }

  private final Function<String, JsonObject> history;
  private final Trust trust;
  private final Map<String, Versions> cache = new HashMap<>();

  /**
   * @param history the history answer of a user id; throws SealroomException when it cannot be read
   * @param trust proves a version in the key-transparency log before a signature under it counts
   */
  Verifier(Function<String, JsonObject> history, Trust trust) {
    this.history = history;
    this.trust = trust;
  }

  static Verifier over(Rest rest, Trust trust) {
    return new Verifier(uid -> rest.get("/api/v1/users/" + Rest.enc(uid) + "/keys/history"), trust);
  }

  /**
   * The signature state of a decrypted message of {@code uid} ({@code username}, for warnings),
   * stored at {@code ts}. A signature that verifies under a version the log does not prove is
   * {@link Envelope.Verification#UNPROVEN_KEY}, never VERIFIED.
   */
  Envelope.Verification check(String rid, String uid, String username, String cid, JsonObject e2e, long ts) {
    Envelope.Verification v = signature(rid, uid, cid, e2e, ts);
    if (v != Envelope.Verification.VERIFIED) {
      return v;
    }
    try {
      trust.proveVersion(uid, username, checkedUkid);
      return v;
    } catch (KeyTransparencyException e) {
      LOG.log(Level.WARNING, "message not verified: {0}", e.getMessage());
      return Envelope.Verification.UNPROVEN_KEY;
    }
  }

  /** The version whose key checked the last signature (engine-confined, read right after by {@link #check}). */
  private String checkedUkid;

  private Envelope.Verification signature(String rid, String uid, String cid, JsonObject e2e, long ts) {
    String sig = e2e.getString("sig");
    if (sig == null) {
      return Envelope.Verification.UNSIGNED;
    }
    String ukid = e2e.getString("ukid");
    Versions known = cache.get(uid);
    boolean fresh = known == null;
    Versions vs = fresh ? load(uid) : known;
    if (vs == null) {
      return Envelope.Verification.NO_SIGNING_KEY; // not readable now: unverified, not forged
    }
    if (ukid != null) {
      Version v = vs.byUkid(ukid);
      if (v == null && !fresh && !vs.unknown.contains(ukid)) {
        vs = reload(uid, vs);
        v = vs.byUkid(ukid);
      }
      if (v == null) {
        vs.unknown.add(ukid);
      }
      return verify(v, rid, uid, cid, e2e);
    }
    Version v = vs.at(ts);
    Envelope.Verification r = verify(v, rid, uid, cid, e2e);
    if (r != Envelope.Verification.VERIFIED && !fresh) {
      Version again = reload(uid, vs).at(ts);
      if (again != null && !again.equals(v)) {
        r = verify(again, rid, uid, cid, e2e);
      }
    }
    return r;
  }

  /** Drops what is known of the user's versions (they set new keys). */
  void forget(String uid) {
    cache.remove(uid);
  }

  private Envelope.Verification verify(Version v, String rid, String uid, String cid, JsonObject e2e) {
    checkedUkid = v == null ? null : v.ukid();
    return Envelope.verify(rid, uid, cid, e2e.getString("kid"), e2e.getString("iv"), e2e.getString("ct"),
        e2e.getString("sig"), v == null ? null : v.signing());
  }

  private Versions reload(String uid, Versions old) {
    Versions vs = load(uid);
    return vs != null ? vs : old;
  }

  private Versions load(String uid) {
    JsonObject answer;
    try {
      answer = history.apply(uid);
    } catch (SealroomException e) {
      if (!"not_found".equals(e.code()) && !"e2e_disabled".equals(e.code())) {
        LOG.log(Level.FINE, "key versions of a sender unavailable: {0}", e.code());
        return null;
      }
      answer = new JsonObject();
    }
    Versions vs = new Versions(parse(answer.getJsonArray("keys", new JsonArray())));
    cache.put(uid, vs);
    return vs;
  }

  private static List<Version> parse(JsonArray keys) {
    List<Version> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        out.add(parse(keys.getJsonObject(i)));
      } catch (RuntimeException e) {
        // a version whose keys do not hash to its ukid, or malformed: never used to verify
        LOG.log(Level.WARNING, "ignored a key version that does not match its ukid: {0}", e.getMessage());
      }
    }
    return out;
  }

  private static Version parse(JsonObject o) {
    JsonObject pub = o.getJsonObject("publicKey");
    JsonObject sig = o.getJsonObject("signingKey");
    String x = sig == null ? null : sig.getString("x");
    String ukid = o.getString("ukid");
    if (ukid == null || !ukid.equals(KeyVersions.ukid(pub.getString("n"), pub.getString("e"), x))) {
      throw new IllegalArgumentException("ukid " + ukid + " is not the hash of its keys");
    }
    PublicKey signing = sig == null ? null : SigningKeys.parsePublicJwk(sig.encode());
    return new Version(ukid, signing, o.getLong("createdAt", 0L), o.getLong("endedAt"));
  }
}
