package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrivateKeysTest {
  private static PrivateKeys keys;

  @BeforeAll
  static void generate() {
    keys = PrivateKeys.generate();
  }

  @Test
  void jsonHoldsBothPrivateJwksAndRoundTrips() throws Exception {
    JsonObject json = new JsonObject(keys.toJson());
    assertEquals(java.util.Set.of("enc", "sig"), json.fieldNames());
    assertEquals("RSA", json.getJsonObject("enc").getString("kty"));
    assertEquals("OKP", json.getJsonObject("sig").getString("kty"));
    PrivateKeys back = PrivateKeys.fromJson(keys.toJson());
    assertEquals(keys.publicJwk(), back.publicJwk());
    assertEquals(keys.signingJwk(), back.signingJwk());
    byte[] roomKey = RoomKeys.generate();
    assertArrayEquals(roomKey, RsaKeys.unwrap(back.rsaPrivate(), RsaKeys.wrap(keys.rsaPublic(), roomKey)));
    byte[] msg = "m".getBytes(StandardCharsets.UTF_8);
    assertTrue(SigningKeys.verify(keys.signingPublic(), msg, SigningKeys.sign(back.signingPrivate(), msg)));
  }

  @Test
  void signingKeyIsOptional() {
    PrivateKeys noSig = new PrivateKeys(new KeyPair(keys.rsaPublic(), keys.rsaPrivate()), null);
    assertFalse(new JsonObject(noSig.toJson()).containsKey("sig"));
    PrivateKeys back = PrivateKeys.fromJson(noSig.toJson());
    assertNull(back.signingPrivate());
    assertNull(back.signingPublic());
    assertNull(back.signingJwk());
  }

  @Test
  void wrapsAndUnwrapsThroughKeyWrap() throws Exception {
    char[] password = E2ePassword.generate().toCharArray();
    String wrapped = KeyWrap.wrap(password, keys.toJson(), 1000);
    assertEquals(keys.publicJwk(), PrivateKeys.unwrap(password, wrapped).publicJwk());
    assertThrows(WrongPasswordException.class, () -> PrivateKeys.unwrap("wrong".toCharArray(), wrapped));
  }

  @Test
  void mismatchedPairsAndMalformedJsonAreRefused() {
    KeyPair otherRsa = RsaKeys.generate();
    assertThrows(IllegalArgumentException.class,
        () -> new PrivateKeys(new KeyPair(otherRsa.getPublic(), keys.rsaPrivate()), null));
    KeyPair otherSig = SigningKeys.generate();
    assertThrows(IllegalArgumentException.class, () -> new PrivateKeys(
        new KeyPair(keys.rsaPublic(), keys.rsaPrivate()), new KeyPair(otherSig.getPublic(), keys.signingPrivate())));
    assertThrows(IllegalArgumentException.class, () -> PrivateKeys.fromJson("{\"sig\":{}}"));
    assertThrows(IllegalArgumentException.class, () -> PrivateKeys.fromJson("{\"enc\":\"x\"}"));
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    String s = keys.toString();
    JsonObject json = new JsonObject(keys.toJson());
    for (String part : new String[] {json.getJsonObject("enc").getString("n").substring(0, 10),
        json.getJsonObject("enc").getString("d").substring(0, 10), json.getJsonObject("sig").getString("d").substring(0, 10),
        json.getJsonObject("sig").getString("x").substring(0, 10)}) {
      assertFalse(s.contains(part));
    }
    assertTrue(s.contains("redacted"));
  }
}
