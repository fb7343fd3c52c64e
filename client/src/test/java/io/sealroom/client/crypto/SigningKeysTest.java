package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
  // RFC 8032 section 7.1, TEST 1 (empty message)
  private static final byte[] RFC_SEED = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] RFC_PUBLIC = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final byte[] RFC_SIG = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

  @Test
  void rawKeyConversionMatchesRfc8032() {
    PrivateKey priv = SigningKeys.privateFromRaw(RFC_SEED);
    PublicKey pub = SigningKeys.publicFromRaw(RFC_PUBLIC);
    assertArrayEquals(RFC_SIG, SigningKeys.sign(priv, new byte[0]));
    assertTrue(SigningKeys.verify(pub, new byte[0], RFC_SIG));
    assertArrayEquals(RFC_PUBLIC, SigningKeys.rawPublic(pub));
    assertArrayEquals(RFC_SEED, SigningKeys.rawPrivate(priv));
    JsonObject jwk = new JsonObject(SigningKeys.privateJwk(priv, pub));
    assertEquals(B64.encode(RFC_SEED), jwk.getString("d"));
    assertEquals(B64.encode(RFC_PUBLIC), jwk.getString("x"));
  }

  @Test
  void publicJwkHasExactlyTheDesignMembers() {
    KeyPair kp = SigningKeys.generate();
    JsonObject jwk = new JsonObject(SigningKeys.publicJwk(kp.getPublic()));
    assertEquals(java.util.Set.of("kty", "crv", "x"), jwk.fieldNames());
    assertEquals("OKP", jwk.getString("kty"));
    assertEquals("Ed25519", jwk.getString("crv"));
    assertEquals(32, B64.decode(jwk.getString("x")).length);
    assertArrayEquals(kp.getPublic().getEncoded(), SigningKeys.parsePublicJwk(jwk.encode()).getEncoded());
  }

  @Test
  void privateJwkRoundTripsAndSignsForItsPublicKey() {
    KeyPair kp = SigningKeys.generate();
    String jwk = SigningKeys.privateJwk(kp.getPrivate(), kp.getPublic());
    assertEquals(java.util.Set.of("kty", "crv", "x", "d"), new JsonObject(jwk).fieldNames());
    PrivateKey back = SigningKeys.parsePrivateJwk(jwk);
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    assertTrue(SigningKeys.verify(kp.getPublic(), msg, SigningKeys.sign(back, msg)));
  }

  @Test
  void mismatchedPairsAreRefused() {
    KeyPair a = SigningKeys.generate();
    KeyPair b = SigningKeys.generate();
    assertThrows(IllegalArgumentException.class, () -> SigningKeys.privateJwk(a.getPrivate(), b.getPublic()));
    JsonObject jwk = new JsonObject(SigningKeys.privateJwk(a.getPrivate(), a.getPublic()))
        .put("x", B64.encode(SigningKeys.rawPublic(b.getPublic())));
    assertThrows(IllegalArgumentException.class, () -> SigningKeys.parsePrivateJwk(jwk.encode()));
  }

  @Test
  void parseRefusesWrongShapes() {
    KeyPair kp = SigningKeys.generate();
    JsonObject good = new JsonObject(SigningKeys.publicJwk(kp.getPublic()));
    JsonObject priv = new JsonObject(SigningKeys.privateJwk(kp.getPrivate(), kp.getPublic()));
    for (JsonObject bad : new JsonObject[] {good.copy().put("kty", "EC"), good.copy().put("crv", "X25519"),
        good.copy().put("x", B64.encode(new byte[31])), good.copy().put("x", "AAAA="), good.copy().put("alg", "ES256"),
        priv}) {
      assertThrows(IllegalArgumentException.class, () -> SigningKeys.parsePublicJwk(bad.encode()), bad.encode());
    }
    JsonObject noX = priv.copy();
    noX.remove("x");
    assertThrows(IllegalArgumentException.class, () -> SigningKeys.parsePrivateJwk(noX.encode()));
    assertThrows(IllegalArgumentException.class,
        () -> SigningKeys.parsePrivateJwk(priv.copy().put("d", B64.encode(new byte[33])).encode()));
    assertEquals(kp.getPublic(), SigningKeys.parsePublicJwk(good.copy().put("alg", "EdDSA").encode()));
  }

  @Test
  void verifyIsFalseNeverAnExceptionForMalformedSignatures() {
    KeyPair kp = SigningKeys.generate();
    byte[] msg = "m".getBytes(StandardCharsets.UTF_8);
    byte[] sig = SigningKeys.sign(kp.getPrivate(), msg);
    assertEquals(64, sig.length);
    assertTrue(SigningKeys.verify(kp.getPublic(), msg, sig));
    byte[] flipped = sig.clone();
    flipped[10] ^= 1;
    byte[] allOnes = new byte[64];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    for (byte[] bad : new byte[][] {null, new byte[0], new byte[63], java.util.Arrays.copyOf(sig, 65), flipped,
        new byte[64], allOnes}) {
      assertFalse(SigningKeys.verify(kp.getPublic(), msg, bad));
    }
    assertFalse(SigningKeys.verify(kp.getPublic(), "other".getBytes(StandardCharsets.UTF_8), sig));
    assertFalse(SigningKeys.verify(SigningKeys.generate().getPublic(), msg, sig));
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
