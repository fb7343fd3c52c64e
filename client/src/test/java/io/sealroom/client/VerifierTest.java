package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.Envelope.Verification;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signatures checked against the sender's key version that made them, with real keys and the
 * SDK's own crypto: alice's first version ended at T_RESET, her second started then.
 */
class VerifierTest {
  static final String RID = "room1";
  static final String ALICE = "alice-id";
  static final long T_FIRST = 1_000;
  static final long T_RESET = 2_000;
  static PrivateKeys v1;
  static PrivateKeys v2;
  static byte[] roomKey;
  final AtomicReference<JsonArray> served = new AtomicReference<>();
  final AtomicInteger reads = new AtomicInteger();
  Verifier verifier;
  FakeTrust trust;

  @BeforeAll
  static void keys() {
    v1 = PrivateKeys.generate();
    v2 = PrivateKeys.generate();
    roomKey = RoomKeys.generate();
  }

  @BeforeEach
  void source() {
    served.set(new JsonArray().add(version(v1, T_FIRST, T_RESET)).add(version(v2, T_RESET, null)));
    trust = new FakeTrust();
    verifier = new Verifier(uid -> {
      reads.incrementAndGet();
      return new JsonObject().put("keys", served.get());
    }, trust);
  }

  /** A history entry as GET /users/{id}/keys/history answers it. */
  static JsonObject version(PrivateKeys k, long createdAt, Long endedAt) {
    JsonObject v = new JsonObject().put("ukid", KeyVersions.ukid(k)).put("publicKey", new JsonObject(k.publicJwk()))
        .put("signingKey", new JsonObject(k.signingJwk())).put("createdAt", createdAt);
    return endedAt == null ? v : v.put("endedAt", endedAt);
  }

  /** The e2e object of a message alice signed with {@code signer}, naming {@code ukidOf}'s version (or none). */
  static JsonObject sealed(String cid, PrivateKeys signer, PrivateKeys ukidOf) {
    JsonObject e2e = new JsonObject(Envelope.seal(roomKey, RID, ALICE, cid, "{\"text\":\"hi\"}",
        signer.signingPrivate()).toJson());
    return ukidOf == null ? e2e : e2e.put("ukid", KeyVersions.ukid(ukidOf));
  }

  Verification check(String cid, JsonObject e2e, long ts) {
    return verifier.check(RID, ALICE, "alice", cid, e2e, ts);
  }

  @Test
  void aMessageSignedUnderAnEarlierVersionVerifiesAgainstThatVersion() {
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, v1), 1_500));
    assertEquals(Verification.VERIFIED, check("c2", sealed("c2", v2, v2), 2_500));
    assertEquals(1, reads.get(), "versions are cached per user");
  }

  @Test
  void withoutUkidTheVersionCurrentAtTheMessagesTimeIsUsed() {
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, null), 1_500));
    assertEquals(Verification.VERIFIED, check("c2", sealed("c2", v2, null), 2_500));
    assertEquals(Verification.VERIFIED, check("c0", sealed("c0", v1, null), 500),
        "before the first recorded version: the first (keys from before versions were kept)");
    assertEquals(Verification.BAD_SIGNATURE, check("c3", sealed("c3", v1, null), 2_500),
        "signed with a version that had ended when the message was stored");
  }

  @Test
  void aSignatureThatFailsAgainstTheNamedVersionIsBad() {
    assertEquals(Verification.BAD_SIGNATURE, check("c1", sealed("c1", v2, v1), 1_500));
    assertEquals(Verification.BAD_SIGNATURE, check("other-cid", sealed("c2", v1, v1), 1_500));
    assertEquals(1, reads.get(), "versions do not change: a bad signature under a named one reads nothing again");
  }

  @Test
  void anUnknownUkidIsLookedUpAgainOnceThenUsed() {
    served.set(new JsonArray().add(version(v1, T_FIRST, null)));
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, v1), 1_500));
    served.set(new JsonArray().add(version(v1, T_FIRST, T_RESET)).add(version(v2, T_RESET, null)));
    assertEquals(Verification.VERIFIED, check("c2", sealed("c2", v2, v2), 2_500));
    assertEquals(2, reads.get());
    PrivateKeys stranger = PrivateKeys.generate();
    assertEquals(Verification.NO_SIGNING_KEY, check("c3", sealed("c3", stranger, stranger), 2_500));
    assertEquals(Verification.NO_SIGNING_KEY, check("c4", sealed("c4", stranger, stranger), 2_500));
    assertEquals(3, reads.get(), "a ukid that a fresh read did not know is not read again");
  }

  @Test
  void aMessageWithoutUkidAfterANewVersionReadsTheVersionsAgain() {
    served.set(new JsonArray().add(version(v1, T_FIRST, null)));
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, null), 1_500));
    served.set(new JsonArray().add(version(v1, T_FIRST, T_RESET)).add(version(v2, T_RESET, null)));
    assertEquals(Verification.VERIFIED, check("c2", sealed("c2", v2, null), 2_500));
  }

  @Test
  void forgettingAUserReadsTheirVersionsAgain() {
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, v1), 1_500));
    verifier.forget(ALICE);
    assertEquals(Verification.VERIFIED, check("c2", sealed("c2", v1, v1), 1_500));
    assertEquals(2, reads.get());
  }

  @Test
  void aVersionWhoseKeysDoNotHashToItsUkidIsNeverUsed() {
    // the server files v2's keys under v1's ukid: a message v2 signed naming v1 must not verify
    JsonObject forged = version(v2, T_FIRST, null).put("ukid", KeyVersions.ukid(v1));
    served.set(new JsonArray().add(forged));
    assertEquals(Verification.NO_SIGNING_KEY, check("c1", sealed("c1", v2, v1), 1_500));
    assertEquals(Verification.NO_SIGNING_KEY, check("c2", sealed("c2", v2, null), 1_500));
  }

  @Test
  void unsignedAndUnreadableVersionsAreNotForgeries() {
    JsonObject e2e = sealed("c1", v1, v1);
    e2e.remove("sig");
    assertEquals(Verification.UNSIGNED, check("c1", e2e, 1_500));
    Verifier down = new Verifier(uid -> {
      throw new SealroomException(503, "unavailable", "down", null);
    }, trust);
    assertEquals(Verification.NO_SIGNING_KEY, down.check(RID, ALICE, "alice", "c1", sealed("c1", v1, v1), 1_500));
  }

  @Test
  void aSignatureCountsOnlyOnceTheLogProvesItsVersion() {
    assertEquals(Verification.VERIFIED, check("c1", sealed("c1", v1, v1), 1_500));
    assertTrue(trust.asked.contains(ALICE + "|" + KeyVersions.ukid(v1)), "the version that verified was proven");
    trust.unproven.add(ALICE + "|" + KeyVersions.ukid(v2));
    assertEquals(Verification.UNPROVEN_KEY, check("c2", sealed("c2", v2, v2), 2_500),
        "a good signature under an unproven version is reported, not verified");
    assertEquals(Verification.UNPROVEN_KEY, check("c3", sealed("c3", v2, null), 2_500), "also found by ts");
    assertEquals(Verification.BAD_SIGNATURE, check("c4", sealed("c4", v1, v2), 2_500),
        "a bad signature stays bad, whatever the log says");
  }
}
