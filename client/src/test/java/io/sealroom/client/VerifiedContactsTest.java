package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.VerifiedBlob;
import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verified list: its encryption, padding and merge, and the read-merge-write of two devices. */
class VerifiedContactsTest {
  static final String ME = "me-uid";
  static PrivateKeys mine;
  static PrivateKeys other;
  static String ukid;

  @BeforeAll
  static void keys() {
    mine = PrivateKeys.generate();
    other = PrivateKeys.generate();
    ukid = KeyVersions.ukid(mine);
  }

  static VerifiedList sample() {
    return VerifiedList.EMPTY.with("bob", new VerifiedList.Entry("BobsUkid00000000", true, 1000))
        .with("carol", new VerifiedList.Entry("CarolUkid0000000", false, 2000));
  }

  @Test
  void aListRoundTripsSealedToTheOwnKey() throws Exception {
    String blob = VerifiedBlob.seal(sample().encode(), ME, ukid, mine.rsaPublic());
    JsonObject b = new JsonObject(blob);
    assertEquals(1, b.getInteger("v"));
    assertEquals(ukid, b.getString("ukid"));
    assertEquals("RSA-OAEP-256", b.getJsonObject("key").getString("alg"));
    assertEquals(12, B64.decode(b.getString("iv")).length);
    VerifiedList back = VerifiedList.parse(VerifiedBlob.open(blob, ME, ukid, mine.rsaPrivate()));
    assertEquals(sample().contacts(), back.contacts());
    String again = VerifiedBlob.seal(sample().encode(), ME, ukid, mine.rsaPublic());
    assertFalse(new JsonObject(again).getString("ct").equals(b.getString("ct")), "a fresh key and iv per write");
  }

  @Test
  void tamperingOrMovingTheBlobFailsToOpen() {
    String blob = VerifiedBlob.seal(sample().encode(), ME, ukid, mine.rsaPublic());
    JsonObject b = new JsonObject(blob);
    assertThrows(GeneralSecurityException.class, () -> VerifiedBlob.open(flip(b, "ct"), ME, ukid, mine.rsaPrivate()));
    assertThrows(GeneralSecurityException.class, () -> VerifiedBlob.open(flip(b, "iv"), ME, ukid, mine.rsaPrivate()));
    assertThrows(GeneralSecurityException.class, () -> VerifiedBlob.open(blob, "another-uid", ukid, mine.rsaPrivate()),
        "the AAD binds the owner's uid");
    String relabelled = b.copy().put("ukid", "AnotherUkid00000").encode();
    assertThrows(GeneralSecurityException.class,
        () -> VerifiedBlob.open(relabelled, ME, "AnotherUkid00000", mine.rsaPrivate()), "the AAD binds the ukid");
    assertThrows(IllegalArgumentException.class, () -> VerifiedBlob.open(blob, ME, "AnotherUkid00000",
        mine.rsaPrivate()), "a blob of another version is not opened");
    assertThrows(GeneralSecurityException.class, () -> VerifiedBlob.open(blob, ME, ukid, other.rsaPrivate()));
  }

  static String flip(JsonObject b, String field) {
    byte[] v = B64.decode(b.getString(field));
    v[v.length / 2] ^= 1;
    return b.copy().put(field, B64.encode(v)).encode();
  }

  @Test
  void thePlaintextIsPaddedToMultiplesOf1024Bytes() {
    assertEquals(1024, VerifiedList.EMPTY.encode().getBytes(StandardCharsets.UTF_8).length);
    VerifiedList l = VerifiedList.EMPTY;
    for (int i = 0; i < 40; i++) {
      l = l.with("contact-\u00fc-" + i, new VerifiedList.Entry("Ukid" + i, i % 2 == 0, 1_796_280_000_000L + i));
      int len = l.encode().getBytes(StandardCharsets.UTF_8).length;
      assertEquals(0, len % 1024, "padded at " + i + " contacts: " + len);
      assertEquals(l.contacts(), VerifiedList.parse(l.encode()).contacts());
    }
    assertTrue(l.encode().getBytes(StandardCharsets.UTF_8).length > 1024);
  }

  @Test
  void theLaterEntryWinsPerContact() {
    VerifiedList a = VerifiedList.EMPTY.with("bob", new VerifiedList.Entry("B1", true, 1000))
        .with("carol", new VerifiedList.Entry("C2", false, 5000));
    VerifiedList b = VerifiedList.EMPTY.with("bob", new VerifiedList.Entry("B2", false, 3000))
        .with("carol", new VerifiedList.Entry("C1", true, 4000)).with("dave", new VerifiedList.Entry("D", true, 1));
    VerifiedList m = a.merge(b);
    assertEquals(new VerifiedList.Entry("B2", false, 3000), m.get("bob"));
    assertEquals(new VerifiedList.Entry("C2", false, 5000), m.get("carol"));
    assertEquals(new VerifiedList.Entry("D", true, 1), m.get("dave"));
    assertEquals(m.contacts(), b.merge(a).contacts(), "the merge does not depend on who merges");
  }

  /** A server's list: one stored blob and its revision; {@code interleave} writes first once, as another device. */
  static final class Server implements VerifiedContacts.Store {
    JsonObject blob;
    long rev;
    final List<Long> writes = new CopyOnWriteArrayList<>();
    Runnable interleave;

    @Override
    public JsonObject read() {
      return new JsonObject().put("rev", rev).put("blob", blob);
    }

    @Override
    public JsonObject write(JsonObject body) {
      if (interleave != null) {
        Runnable r = interleave;
        interleave = null;
        r.run();
      }
      writes.add(body.getLong("rev"));
      if (body.getLong("rev") != rev) {
        throw new SealroomException(409, "conflict", "stale rev", null);
      }
      blob = body.getJsonObject("blob");
      return new JsonObject().put("ok", true).put("rev", ++rev);
    }
  }

  @Test
  void twoDevicesWritingAtOnceBothKeepTheirEntries() {
    Server server = new Server();
    VerifiedContacts phone = new VerifiedContacts(server, () -> mine, () -> ME);
    VerifiedContacts laptop = new VerifiedContacts(server, () -> mine, () -> ME);
    phone.load();
    laptop.load();
    server.interleave = () -> laptop.put("carol", new VerifiedList.Entry("C", true, 2000));
    phone.put("bob", new VerifiedList.Entry("B", true, 1000));
    assertEquals(List.of(0L, 0L, 1L), server.writes, "laptop wrote rev 0, phone's rev 0 conflicted, phone wrote 1");
    VerifiedList stored = new VerifiedContacts(server, () -> mine, () -> ME).load();
    assertEquals(new VerifiedList.Entry("B", true, 1000), stored.get("bob"));
    assertEquals(new VerifiedList.Entry("C", true, 2000), stored.get("carol"));
  }

  @Test
  void aBlobOfEndedKeysReadsEmptyButATamperedOneIsAnError() {
    Server server = new Server();
    new VerifiedContacts(server, () -> other, () -> ME).put("bob", new VerifiedList.Entry("B", true, 1));
    VerifiedContacts afterReset = new VerifiedContacts(server, () -> mine, () -> ME);
    assertTrue(afterReset.load().contacts().isEmpty(), "a list sealed for the ended version is empty");
    afterReset.put("carol", new VerifiedList.Entry("C", true, 2));
    assertNull(afterReset.load().get("bob"));
    server.blob = new JsonObject(flip(server.blob, "ct"));
    SealroomException e = assertThrows(SealroomException.class, afterReset::load);
    assertEquals("bad_verified_list", e.code());
    VerifiedContacts locked = new VerifiedContacts(server, () -> null, () -> ME);
    assertEquals("e2e_locked", assertThrows(SealroomException.class, locked::load).code());
  }
}
