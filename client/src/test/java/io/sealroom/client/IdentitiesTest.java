package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.SafetyNumbers;
import io.sealroom.client.crypto.SigningKeys;
import io.sealroom.client.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity status and the refusal to encrypt to a changed identity, over the SDK's seams: a
 * scripted keys route, the in-memory log and an in-memory verified list store.
 */
class IdentitiesTest {
  static final User ME = new User("me-uid", "me");
  static PrivateKeys mine;
  static PrivateKeys bob1;
  static PrivateKeys bob2;
  final Map<String, PrivateKeys> current = new ConcurrentHashMap<>();
  final List<String> keyReads = new CopyOnWriteArrayList<>();
  FakeLog log;
  Identities ids;
  Room room;

  @BeforeAll
  static void keys() {
    mine = PrivateKeys.generate();
    bob1 = PrivateKeys.generate();
    bob2 = PrivateKeys.generate();
  }

  @BeforeEach
  void setUp() {
    log = new FakeLog().add(ME.id(), KeyVersions.ukid(mine)).add("bob", KeyVersions.ukid(bob1))
        .add("carol", "CarolsUkid000000");
    current.put("bob", bob1);
    ids = new Identities(this::keysRoute, new KeyTransparency(log::get, null),
        new VerifiedContacts(new VerifiedContactsTest.Server(), () -> mine, ME::id), () -> mine, () -> ME);
    room = new Room("r1", RoomType.PRIVATE, "g", ME.id(), true, null, false, 0, "owner", true,
        List.of(new Member(ME.id(), "me", "owner"), new Member("bob", "bob", "member"),
            new Member("carol", "carol", "member")));
  }

  /** GET /api/v1/users/{id}/keys as the node answers it. */
  JsonObject keysRoute(String path) {
    String uid = path.split("/")[4];
    keyReads.add(uid);
    PrivateKeys k = current.get(uid);
    if (k == null) {
      throw new SealroomException(404, "no_keys", "no keys", null);
    }
    return new JsonObject().put("publicKey", new JsonObject(k.publicJwk()))
        .put("signingKey", new JsonObject(k.signingJwk())).put("ukid", KeyVersions.ukid(k));
  }

  /** bob resets and sets up new keys, which the log records. */
  void bobChangesKeys() {
    current.put("bob", bob2);
    log.add("bob", KeyVersions.ukid(bob2));
    ids.forget("bob");
  }

  @Test
  void aContactIsUnverifiedUntilMarkedThenVerifiedWithTheSafetyNumberBothSee() {
    Identity before = ids.identity("bob");
    assertEquals(Identity.Status.UNVERIFIED, before.status());
    assertEquals(KeyVersions.ukid(bob1), before.currentUkid());
    assertNull(before.verifiedUkid());
    String expected = SafetyNumbers.of(SigningKeys.rawPublic(bob1.signingPublic()), "bob",
        SigningKeys.rawPublic(mine.signingPublic()), ME.id());
    assertEquals(expected, before.safetyNumber().digits(), "the digits bob computes for the same pair");
    Identity after = ids.markVerified("bob");
    assertEquals(Identity.Status.VERIFIED, after.status());
    assertEquals(KeyVersions.ukid(bob1), after.verifiedUkid());
    assertDoesNotThrow(() -> ids.checkMembers(room, ME.id()));
  }

  @Test
  void aVerifiedContactWhoseKeysChangedBlocksEncryptionUntilAccepted() {
    ids.markVerified("bob");
    bobChangesKeys();
    assertEquals(Identity.Status.CHANGED, ids.identity("bob").status());
    IdentityChangedException e = assertThrows(IdentityChangedException.class, () -> ids.checkMembers(room, ME.id()));
    assertEquals("bob", e.userId());
    assertTrue(e.getMessage().startsWith("bob's keys changed"), e.getMessage());
    assertEquals(IdentityChangedException.CODE, e.code());
    assertThrows(IdentityChangedException.class,
        () -> ids.keyForMember("bob", "bob", new JsonObject(bob2.publicJwk())), "no room key is wrapped to bob");

    Identity accepted = ids.acceptKeyChange("bob");
    assertEquals(Identity.Status.UNVERIFIED, accepted.status());
    assertDoesNotThrow(() -> ids.checkMembers(room, ME.id()));
    assertNotNull(ids.keyForMember("bob", "bob", new JsonObject(bob2.publicJwk())));
  }

  @Test
  void markingTheNewVersionVerifiedAlsoLiftsTheBlock() {
    ids.markVerified("bob");
    bobChangesKeys();
    assertThrows(IdentityChangedException.class, () -> ids.checkMembers(room, ME.id()));
    assertEquals(Identity.Status.VERIFIED, ids.markVerified("bob").status());
    assertDoesNotThrow(() -> ids.checkMembers(room, ME.id()));
  }

  @Test
  void aVersionTheLogDoesNotProveIsNeitherVerifiedNorGivenAKey() {
    current.put("bob", bob2); // served as bob's, never logged
    KeyTransparencyException e = assertThrows(KeyTransparencyException.class, () -> ids.markVerified("bob"));
    assertTrue(e.getMessage().contains("these are bob's keys"), e.getMessage());
    assertThrows(KeyTransparencyException.class, () -> ids.identity("bob"), "no safety number for an unproven key");
    assertThrows(KeyTransparencyException.class,
        () -> ids.keyForMember("bob", "bob", new JsonObject(bob2.publicJwk())));
  }

  @Test
  void aRelayedKeyOtherThanTheCurrentVersionIsRefused() {
    SealroomException e = assertThrows(SealroomException.class,
        () -> ids.keyForMember("bob", "bob", new JsonObject(bob2.publicJwk())));
    assertEquals("bad_key", e.code());
  }

  @Test
  void unverifiedMembersCostNoLookupsWhenSending() {
    ids.checkMembers(room, ME.id());
    assertTrue(keyReads.isEmpty(), "only verified contacts can have changed: " + keyReads);
  }
}
