package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyWrapTest {
  private static final int FAST = 1000; // tests only; the server requires e2e.minKdfIterations
  private static final char[] PASSWORD = "maple otter brisk lantern quiet harbor seven".toCharArray();
  private static String keysJson;

  @BeforeAll
  static void keys() {
    keysJson = PrivateKeys.generate().toJson();
  }

  @Test
  void wrappedKeyHasTheDesignShape() {
    JsonObject w = new JsonObject(KeyWrap.wrap(PASSWORD, keysJson, FAST));
    assertEquals(java.util.Set.of("v", "kdf", "iter", "salt", "alg", "iv", "ct"), w.fieldNames());
    assertEquals(1, w.getInteger("v"));
    assertEquals("PBKDF2-SHA256", w.getString("kdf"));
    assertEquals(FAST, w.getInteger("iter"));
    assertEquals("A256GCM", w.getString("alg"));
    assertEquals(16, B64.decode(w.getString("salt")).length);
    assertEquals(12, B64.decode(w.getString("iv")).length);
    assertEquals(keysJson.getBytes(StandardCharsets.UTF_8).length + 16, B64.decode(w.getString("ct")).length);
    assertEquals(600_000, KeyWrap.DEFAULT_ITERATIONS);
  }

  @Test
  void rightPasswordUnwrapsWrongPasswordIsRefused() throws Exception {
    String wrapped = KeyWrap.wrap(PASSWORD, keysJson, FAST);
    assertEquals(keysJson, KeyWrap.unwrap(PASSWORD, wrapped));
    assertThrows(WrongPasswordException.class, () -> KeyWrap.unwrap("maple otter brisk".toCharArray(), wrapped));
    assertFalse(wrapped.equals(KeyWrap.wrap(PASSWORD, keysJson, FAST)), "fresh salt and iv every time");
  }

  @Test
  void anIndependentJdkImplementationOfTheFormatAgrees() throws Exception {
    // what a client written from DESIGN.md alone would do: JDK PBKDF2, then AES-GCM without aad
    JsonObject w = new JsonObject(KeyWrap.wrap(PASSWORD, keysJson, FAST));
    PBEKeySpec spec = new PBEKeySpec(PASSWORD, B64.decode(w.getString("salt")), w.getInteger("iter"), 256);
    byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, B64.decode(w.getString("iv"))));
    assertEquals(keysJson, new String(c.doFinal(B64.decode(w.getString("ct"))), StandardCharsets.UTF_8));
  }

  @Test
  void nonAsciiPasswordsAreUtf8AndLoneSurrogatesRefused() throws Exception {
    char[] unicode = "pässwörd ✓ 鍵 😀".toCharArray();
    String wrapped = KeyWrap.wrap(unicode, keysJson, FAST);
    assertEquals(keysJson, KeyWrap.unwrap(unicode, wrapped));
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(new char[] {'a', '\ud800'}, keysJson, FAST));
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(new char[0], keysJson, FAST));
  }

  @Test
  void alteredCiphertextReadsAsWrongPassword() {
    JsonObject w = new JsonObject(KeyWrap.wrap(PASSWORD, keysJson, FAST));
    byte[] ct = B64.decode(w.getString("ct"));
    ct[3] ^= 1;
    String altered = w.put("ct", B64.encode(ct)).encode();
    assertThrows(WrongPasswordException.class, () -> KeyWrap.unwrap(PASSWORD, altered));
  }

  @Test
  void malformedWrappedKeysAreIllegalArguments() {
    JsonObject good = new JsonObject(KeyWrap.wrap(PASSWORD, keysJson, FAST));
    JsonObject[] bad = {good.copy().put("v", 2), good.copy().put("kdf", "PBKDF2"), good.copy().put("alg", "A128GCM"),
        good.copy().put("salt", B64.encode(new byte[15])), good.copy().put("iv", B64.encode(new byte[16])),
        good.copy().put("iter", "1000"), good.copy().put("iter", 0), good.copy().put("iter", 1000.5),
        good.copy().put("iter", 4_294_968_296L), good.copy().put("ct", good.getString("ct") + "="),
        good.copy().put("ct", B64.encode(new byte[15]))};
    for (JsonObject b : bad) {
      assertThrows(IllegalArgumentException.class, () -> KeyWrap.unwrap(PASSWORD, b.encode()), b.encode());
    }
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.unwrap(PASSWORD, "{"));
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(PASSWORD, "{\"sig\":{}}", FAST));
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(PASSWORD, keysJson, 0));
  }

  @Test
  void unlockAtTheRealIterationCountTakesAboutASecond() throws Exception {
    String wrapped = KeyWrap.wrap(PASSWORD, keysJson, KeyWrap.DEFAULT_ITERATIONS);
    long start = System.nanoTime();
    String unwrapped = KeyWrap.unwrap(PASSWORD, wrapped);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(keysJson, unwrapped);
    System.out.printf("KeyWrap: unlock (PBKDF2-HMAC-SHA256, %,d iterations, + AES-GCM) took %d ms%n",
        KeyWrap.DEFAULT_ITERATIONS, ms);
  }
}
