package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.client.crypto.Envelope.Verification;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
  private static final String RID = "room1";
  private static final String UID = "alice";
  private static final String CID = "c-1";
  private static final String PLAIN = "{\"text\":\"hé ✓\"}";
  private static byte[] roomKey;
  private static KeyPair alice;
  private static KeyPair mallory;

  @BeforeAll
  static void keys() {
    roomKey = RoomKeys.generate();
    alice = SigningKeys.generate();
    mallory = SigningKeys.generate();
  }

  @Test
  void aadAndSignedBytesAreTheDesignStrings() {
    assertArrayEquals("r|u|c".getBytes(StandardCharsets.UTF_8), Envelope.aad("r", "u", "c"));
    assertArrayEquals("r|u|c|k|i|t".getBytes(StandardCharsets.UTF_8),
        Envelope.signedBytes("r", "u", "c", "k", "i", "t"));
    assertThrows(IllegalArgumentException.class, () -> Envelope.aad("r|x", "u", "c"));
    assertThrows(IllegalArgumentException.class, () -> Envelope.aad("r", null, "c"));
  }

  @Test
  void signedMessageOpensVerified() throws Exception {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    assertEquals(RoomKeys.kid(roomKey), s.kid());
    assertEquals(12, B64.decode(s.iv()).length);
    assertEquals(64, B64.decode(s.sig()).length);
    Envelope.Opened o = open(s, RID, UID, CID);
    assertEquals(PLAIN, o.plaintextJson());
    assertEquals(Verification.VERIFIED, o.verification());
    // the ciphertext is exactly AES-GCM under the room key with the design's aad
    byte[] plain = RoomKeys.decrypt(roomKey, B64.decode(s.iv()), B64.decode(s.ct()),
        (RID + "|" + UID + "|" + CID).getBytes(StandardCharsets.UTF_8));
    assertEquals(PLAIN, new String(plain, StandardCharsets.UTF_8));
  }

  @Test
  void unsignedAndKeylessStatesAreReported() throws Exception {
    Envelope.Sealed unsigned = Envelope.seal(roomKey, RID, UID, CID, PLAIN, null);
    assertNull(unsigned.sig());
    assertEquals(Verification.UNSIGNED, open(unsigned, RID, UID, CID).verification());
    Envelope.Sealed signed = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    Envelope.Opened o = Envelope.open(roomKey, RID, UID, CID, signed, null);
    assertEquals(Verification.NO_SIGNING_KEY, o.verification());
    assertEquals(PLAIN, o.plaintextJson());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rid", "uid", "cid", "kid", "iv", "ct"})
  void signatureCoversEveryField(String field) {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    String[] f = {RID, UID, CID, s.kid(), s.iv(), s.ct()};
    int i = java.util.List.of("rid", "uid", "cid", "kid", "iv", "ct").indexOf(field);
    f[i] = f[i].equals("AAAA") ? "BBBB" : "AAAA";
    byte[] sig = B64.decode(s.sig());
    assertFalse(SigningKeys.verify(alice.getPublic(), Envelope.signedBytes(f[0], f[1], f[2], f[3], f[4], f[5]), sig));
  }

  @Test
  void aMemberImpersonatingAnotherGetsBadSignature() throws Exception {
    // mallory holds the room key, so she can encrypt "as alice"; she cannot sign as alice
    Envelope.Sealed forged = Envelope.seal(roomKey, RID, UID, CID, PLAIN, mallory.getPrivate());
    assertEquals(Verification.BAD_SIGNATURE, open(forged, RID, UID, CID).verification());
    // nor can she move alice's signature onto a fresh encryption
    Envelope.Sealed real = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    Envelope.Sealed reEncrypted = Envelope.seal(roomKey, RID, UID, CID, "{\"text\":\"pay mallory\"}", null);
    Envelope.Sealed spliced = new Envelope.Sealed(reEncrypted.kid(), reEncrypted.iv(), reEncrypted.ct(), real.sig());
    assertEquals(Verification.BAD_SIGNATURE, open(spliced, RID, UID, CID).verification());
  }

  @Test
  void alteredOrMalformedSignaturesAreReportedNotThrown() throws Exception {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    byte[] sig = B64.decode(s.sig());
    sig[0] ^= 1;
    for (String bad : new String[] {B64.encode(sig), "not base64!", "", s.sig() + "AA"}) {
      Envelope.Sealed t = new Envelope.Sealed(s.kid(), s.iv(), s.ct(), bad);
      assertEquals(Verification.BAD_SIGNATURE, open(t, RID, UID, CID).verification(), bad);
    }
  }

  @Test
  void aadMismatchIsADecryptionFailure() {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    assertThrows(AEADBadTagException.class, () -> open(s, "room2", UID, CID));
    assertThrows(AEADBadTagException.class, () -> open(s, RID, "bob", CID));
    assertThrows(AEADBadTagException.class, () -> open(s, RID, UID, "c-2"));
  }

  @Test
  void alteredIvOrCiphertextFailsToDecrypt() {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    byte[] ct = B64.decode(s.ct());
    ct[0] ^= 1;
    byte[] iv = B64.decode(s.iv());
    iv[0] ^= 1;
    assertThrows(GeneralSecurityException.class,
        () -> open(new Envelope.Sealed(s.kid(), s.iv(), B64.encode(ct), s.sig()), RID, UID, CID));
    assertThrows(GeneralSecurityException.class,
        () -> open(new Envelope.Sealed(s.kid(), B64.encode(iv), s.ct(), s.sig()), RID, UID, CID));
  }

  @Test
  void kidMustBeTheKidOfTheRoomKey() {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    assertThrows(IllegalArgumentException.class,
        () -> open(new Envelope.Sealed("AAAAAAAAAAAAAAAA", s.iv(), s.ct(), s.sig()), RID, UID, CID));
    assertThrows(IllegalArgumentException.class,
        () -> Envelope.open(RoomKeys.generate(), RID, UID, CID, s, alice.getPublic()));
  }

  @Test
  void sealRefusesAPlaintextThatIsNotAJsonObject() {
    assertThrows(IllegalArgumentException.class, () -> Envelope.seal(roomKey, RID, UID, CID, "hi", null));
    assertThrows(IllegalArgumentException.class, () -> Envelope.seal(roomKey, RID, UID, CID, "[1]", null));
  }

  @Test
  void wireJsonRoundTripsAndToStringsStayOutOfLogs() throws Exception {
    Envelope.Sealed s = Envelope.seal(roomKey, RID, UID, CID, PLAIN, alice.getPrivate());
    assertEquals(s, Envelope.Sealed.fromJson(s.toJson()));
    Envelope.Sealed u = Envelope.seal(roomKey, RID, UID, CID, PLAIN, null);
    assertFalse(new io.sealroom.client.json.JsonObject(u.toJson()).containsKey("sig"));
    assertEquals(u, Envelope.Sealed.fromJson(u.toJson()));
    assertFalse(s.toString().contains(s.ct()));
    assertFalse(open(s, RID, UID, CID).toString().contains("hé"));
  }

  private static Envelope.Opened open(Envelope.Sealed s, String rid, String uid, String cid)
      throws GeneralSecurityException {
    return Envelope.open(roomKey, rid, uid, cid, s.kid(), s.iv(), s.ct(), s.sig(), alice.getPublic());
  }
}
