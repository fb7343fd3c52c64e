package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RsaKeysTest {
  private static KeyPair pair;
  private static RSAPublicKey pub;
  private static RSAPrivateCrtKey priv;

  @BeforeAll
  static void generate() {
    pair = RsaKeys.generate();
    pub = (RSAPublicKey) pair.getPublic();
    priv = (RSAPrivateCrtKey) pair.getPrivate();
  }

  @Test
  void generatesRsa2048WithF4() {
    assertEquals(2048, RsaKeys.modulusBits(pub));
    assertEquals(BigInteger.valueOf(65537), pub.getPublicExponent());
  }

  @Test
  void publicJwkHasExactlyTheDesignMembersAndMinimalIntegers() {
    JsonObject jwk = new JsonObject(RsaKeys.publicJwk(pub));
    assertEquals(java.util.Set.of("kty", "alg", "n", "e"), jwk.fieldNames());
    assertEquals("RSA", jwk.getString("kty"));
    assertEquals("RSA-OAEP-256", jwk.getString("alg"));
    assertEquals("AQAB", jwk.getString("e"));
    byte[] n = B64.decode(jwk.getString("n"));
    // a 2048-bit modulus always has its top bit set: BigInteger would add a zero byte, JWK must not
    assertEquals(256, n.length);
    assertTrue((n[0] & 0x80) != 0);
    assertEquals(pub, RsaKeys.parsePublicJwk(jwk.encode()));
  }

  @Test
  void privateJwkLooksLikeAWebCryptoExportAndRoundTrips() {
    JsonObject jwk = new JsonObject(RsaKeys.privateJwk(priv));
    for (String m : new String[] {"kty", "alg", "n", "e", "d", "p", "q", "dp", "dq", "qi", "key_ops", "ext"}) {
      assertTrue(jwk.containsKey(m), m);
    }
    assertEquals(new JsonArray().add("decrypt"), jwk.getJsonArray("key_ops"));
    assertEquals(Boolean.TRUE, jwk.getBoolean("ext"));
    for (String m : new String[] {"n", "d", "p", "q", "dp", "dq", "qi"}) {
      assertTrue(B64.decode(jwk.getString(m))[0] != 0, m + " has no leading zero byte");
    }
    RSAPrivateCrtKey back = (RSAPrivateCrtKey) RsaKeys.parsePrivateJwk(jwk.encode());
    assertEquals(priv.getModulus(), back.getModulus());
    assertEquals(priv.getPrivateExponent(), back.getPrivateExponent());
    assertEquals(priv.getPrimeP(), back.getPrimeP());
    assertEquals(priv.getCrtCoefficient(), back.getCrtCoefficient());
  }

  @Test
  void parsePublicJwkRefusesAnythingWrong() {
    JsonObject good = new JsonObject(RsaKeys.publicJwk(pub));
    byte[] n = B64.decode(good.getString("n"));
    byte[] withZero = new byte[n.length + 1];
    System.arraycopy(n, 0, withZero, 1, n.length);
    for (JsonObject bad : new JsonObject[] {
        good.copy().put("kty", "EC"), good.copy().put("alg", "RSA-OAEP"), without(good, "alg"),
        without(good, "n"), without(good, "e"), good.copy().put("n", 12), good.copy().put("n", good.getString("n") + "="),
        good.copy().put("n", B64.encode(withZero)), good.copy().put("e", "AAE"),
        good.copy().put("d", "AQAB"), good.copy().put("n", good.getString("n").replace('-', '+'))}) {
      assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePublicJwk(bad.encode()), bad.fieldNames().toString());
    }
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePublicJwk("not json"));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePublicJwk("[1]"));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePublicJwk(null));
  }

  @Test
  void parsePrivateJwkRefusesMissingOrInconsistentParts() {
    JsonObject good = new JsonObject(RsaKeys.privateJwk(priv));
    JsonObject other = new JsonObject(RsaKeys.privateJwk((RSAPrivateCrtKey) RsaKeys.generate().getPrivate()));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePrivateJwk(without(good, "qi").encode()));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePrivateJwk(without(good, "d").encode()));
    assertThrows(IllegalArgumentException.class,
        () -> RsaKeys.parsePrivateJwk(good.copy().put("p", other.getString("p")).encode()));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePrivateJwk(good.copy().put("alg", "RS256").encode()));
  }

  @Test
  void errorMessagesNeverQuoteKeyMaterial() {
    JsonObject jwk = new JsonObject(RsaKeys.privateJwk(priv));
    String broken = jwk.encode().replace("\"kty\"", "\"kty\" x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RsaKeys.parsePrivateJwk(broken));
    assertFalse(e.getMessage().contains(jwk.getString("d").substring(0, 12)));
  }

  @Test
  void wrapAndUnwrapRoundTrip() throws Exception {
    byte[] roomKey = RoomKeys.generate();
    byte[] ct = RsaKeys.wrap(pub, roomKey);
    assertEquals(256, ct.length);
    assertArrayEquals(roomKey, RsaKeys.unwrap(priv, ct));
    assertFalse(java.util.Arrays.equals(ct, RsaKeys.wrap(pub, roomKey)), "OAEP is randomized");
    KeyPair other = RsaKeys.generate();
    assertThrows(GeneralSecurityException.class, () -> RsaKeys.unwrap(other.getPrivate(), ct));
  }

  @Test
  void interoperatesWithBouncyCastleOaepSha256Mgf1Sha256() throws Exception {
    // an independent implementation of what browsers do; BC names MGF1 after the OAEP digest
    Cipher bc = Cipher.getInstance("RSA/NONE/OAEPWithSHA256AndMGF1Padding", new BouncyCastleProvider());
    byte[] roomKey = RoomKeys.generate();
    bc.init(Cipher.ENCRYPT_MODE, pub);
    assertArrayEquals(roomKey, RsaKeys.unwrap(priv, bc.doFinal(roomKey)));
    bc.init(Cipher.DECRYPT_MODE, priv);
    assertArrayEquals(roomKey, bc.doFinal(RsaKeys.wrap(pub, roomKey)));
  }

  @Test
  void jdkDefaultOaepNameDoesNotInteroperate() throws Exception {
    Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding"); // MGF1-SHA-1
    jdkDefault.init(Cipher.ENCRYPT_MODE, pub);
    byte[] ct = jdkDefault.doFinal(new byte[32]);
    assertThrows(GeneralSecurityException.class, () -> RsaKeys.unwrap(priv, ct));
  }

  @Test
  void wrapRefusesKeysUnder2048Bits() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(1024);
    RSAPublicKey small = (RSAPublicKey) gen.generateKeyPair().getPublic();
    assertEquals(1024, RsaKeys.modulusBits(small));
    assertThrows(IllegalArgumentException.class, () -> RsaKeys.wrap(small, new byte[32]));
    assertEquals(1024, RsaKeys.modulusBits(RsaKeys.parsePublicJwk(RsaKeys.publicJwk(small))),
        "parsing does not judge the size: the caller compares modulusBits with its minimum");
  }

  private static JsonObject without(JsonObject o, String key) {
    JsonObject c = o.copy();
    c.remove(key);
    return c;
  }
}
