package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyVersionsTest {
  /** The contract's formula, written out independently of the SDK. */
  static String contractUkid(String n, String e, String x) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256")
        .digest((n + "|" + e + "|" + (x == null ? "" : x)).getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 16);
  }

  @Test
  void aUkidIsTheContractsHashAndTheServersToo() throws Exception {
    PrivateKeys k = PrivateKeys.generate();
    JsonObject pub = new JsonObject(k.publicJwk());
    String x = new JsonObject(k.signingJwk()).getString("x");
    String expected = contractUkid(pub.getString("n"), pub.getString("e"), x);
    assertEquals(expected, KeyVersions.ukid(k));
    assertEquals(expected, KeyVersions.ukid(k.publicJwk(), k.signingJwk()));
    assertEquals(expected, UserKeys.ukid(new RsaPublicJwk(pub.getString("n"), pub.getString("e")), new SigningJwk(x)));
    assertEquals(KeyVersions.UKID_CHARS, expected.length());
  }

  @Test
  void withoutASigningKeyTheLastPartIsEmpty() throws Exception {
    assertEquals(contractUkid("nnnn", "AQAB", null), KeyVersions.ukid("nnnn", "AQAB", null));
    assertEquals(contractUkid("nnnn", "AQAB", ""), KeyVersions.ukid("{\"n\":\"nnnn\",\"e\":\"AQAB\"}", null));
    assertNotEquals(KeyVersions.ukid("nnnn", "AQAB", null), KeyVersions.ukid("nnnn", "AQAB", "x"));
    assertThrows(IllegalArgumentException.class, () -> KeyVersions.ukid("{\"e\":\"AQAB\"}", null));
  }
}
