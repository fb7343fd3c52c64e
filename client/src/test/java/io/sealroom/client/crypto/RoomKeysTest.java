package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class RoomKeysTest {
  private static final byte[] AAD = "r1|u1|c1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void generatesDistinct32ByteKeys() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      byte[] k = RoomKeys.generate();
      assertEquals(32, k.length);
      seen.add(B64.encode(k));
    }
    assertEquals(100, seen.size());
  }

  @Test
  void kidIsTheFirst16CharactersOfBase64urlSha256() {
    // expected values computed independently (Python hashlib + base64.urlsafe_b64encode)
    assertEquals("Zmh6rfhivXdsj8GL", RoomKeys.kid(new byte[32]));
    byte[] counting = new byte[32];
    for (int i = 0; i < 32; i++) {
      counting[i] = (byte) i;
    }
    assertEquals("Yw3NKWbEM2aRElRI", RoomKeys.kid(counting));
    assertThrows(IllegalArgumentException.class, () -> RoomKeys.kid(new byte[16]));
  }

  @Test
  void encryptsWithAFreshIvAndWebCryptoLayout() throws Exception {
    byte[] key = RoomKeys.generate();
    RoomKeys.Sealed a = RoomKeys.encrypt(key, PLAIN, AAD);
    RoomKeys.Sealed b = RoomKeys.encrypt(key, PLAIN, AAD);
    assertEquals(12, a.iv().length);
    assertEquals(PLAIN.length + 16, a.ct().length, "ciphertext || 16-byte tag");
    assertFalse(java.util.Arrays.equals(a.iv(), b.iv()));
    assertArrayEquals(PLAIN, RoomKeys.decrypt(key, a.iv(), a.ct(), AAD));
    assertEquals(a, new RoomKeys.Sealed(a.iv().clone(), a.ct().clone()), "compared by content");
    assertFalse(a.toString().contains(B64.encode(a.ct())));
  }

  @Test
  void refusesAWrongAadKeyIvOrCiphertext() {
    byte[] key = RoomKeys.generate();
    RoomKeys.Sealed s = RoomKeys.encrypt(key, PLAIN, AAD);
    byte[] otherAad = "r1|u2|c1".getBytes(StandardCharsets.UTF_8);
    assertThrows(AEADBadTagException.class, () -> RoomKeys.decrypt(key, s.iv(), s.ct(), otherAad));
    assertThrows(AEADBadTagException.class, () -> RoomKeys.decrypt(key, s.iv(), s.ct(), null));
    assertThrows(AEADBadTagException.class, () -> RoomKeys.decrypt(RoomKeys.generate(), s.iv(), s.ct(), AAD));
    byte[] iv = s.iv().clone();
    iv[0] ^= 1;
    assertThrows(AEADBadTagException.class, () -> RoomKeys.decrypt(key, iv, s.ct(), AAD));
    byte[] ct = s.ct().clone();
    ct[ct.length - 1] ^= 1;
    assertThrows(AEADBadTagException.class, () -> RoomKeys.decrypt(key, s.iv(), ct, AAD));
    assertThrows(GeneralSecurityException.class, () -> RoomKeys.decrypt(key, new byte[16], s.ct(), AAD));
    assertThrows(GeneralSecurityException.class, () -> RoomKeys.decrypt(key, s.iv(), new byte[15], AAD));
  }

  @Test
  void nullAadMeansNone() throws Exception {
    byte[] key = RoomKeys.generate();
    RoomKeys.Sealed s = RoomKeys.encrypt(key, PLAIN, null);
    assertArrayEquals(PLAIN, RoomKeys.decrypt(key, s.iv(), s.ct(), new byte[0]));
  }
}
