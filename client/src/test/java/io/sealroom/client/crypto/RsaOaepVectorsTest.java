package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof RSA-OAEP-2048 vectors. The MGF1-SHA-256 file is what browsers do and must pass with
 * Sealroom's parameters; the MGF1-SHA-1 file is what the JDK's "OAEPWithSHA-256AndMGF1Padding"
 * does and must not decrypt with them.
 */
class RsaOaepVectorsTest {
  private static final String MGF1_SHA256 = "rsa_oaep_2048_sha256_mgf1sha256_test.json";
  private static final String MGF1_SHA1 = "rsa_oaep_2048_sha256_mgf1sha1_test.json";

  @TestFactory
  Stream<DynamicTest> mgf1Sha256VectorsPassWithSealroomParameters() throws Exception {
    return Wycheproof.forFile(MGF1_SHA256, RsaOaepVectorsTest::mgf1Sha256);
  }

  private static Stream<DynamicTest> mgf1Sha256(JsonObject file) throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(file, g -> true);
    assertEquals(37, cases.size(), "vector count");
    PrivateKey key = pkcs8(cases.get(0).group());
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      byte[] label = c.hex("label");
      byte[] ct = c.hex("ct");
      if ("valid".equals(c.result())) {
        assertArrayEquals(c.hex("msg"), decrypt(key, ct, label));
        if (label.length > 0) {
          // Sealroom never uses a label, so the API's unwrap must refuse these
          assertThrows(GeneralSecurityException.class, () -> RsaKeys.unwrap(key, ct));
        }
      } else {
        assertThrows(GeneralSecurityException.class, () -> decrypt(key, ct, label));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> mgf1Sha1CiphertextsDoNotDecryptWithSealroomParameters() throws Exception {
    return Wycheproof.forFile(MGF1_SHA1, RsaOaepVectorsTest::mgf1Sha1);
  }

  private static Stream<DynamicTest> mgf1Sha1(JsonObject file) throws Exception {
    List<Wycheproof.Case> valid = Wycheproof.cases(file, g -> true).stream()
        .filter(c -> "valid".equals(c.result()) && c.hex("label").length == 0).toList();
    assertTrue(valid.size() >= 8, "a sample of valid unlabelled MGF1-SHA-1 vectors");
    PrivateKey key = pkcs8(valid.get(0).group());
    return valid.stream().map(c -> dynamicTest(c.name(), () -> {
      // control: the JDK's named transformation (MGF1-SHA-1) does decrypt them...
      Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
      jdkDefault.init(Cipher.DECRYPT_MODE, key);
      assertArrayEquals(c.hex("msg"), jdkDefault.doFinal(c.hex("ct")));
      // ...and Sealroom's explicit MGF1-SHA-256 parameters do not: the pitfall is avoided
      assertThrows(GeneralSecurityException.class, () -> RsaKeys.unwrap(key, c.hex("ct")));
    }));
  }

  @TestFactory
  Stream<DynamicTest> jwkOfTheVectorKeyMatchesItsPkcs8() throws Exception {
    return Wycheproof.forFile(MGF1_SHA256, RsaOaepVectorsTest::jwkChecks);
  }

  private static Stream<DynamicTest> jwkChecks(JsonObject file) throws Exception {
    JsonObject group = file.getJsonArray("testGroups").getJsonObject(0);
    JsonObject jwk = group.getJsonObject("privateKeyJwk");
    RSAPrivateCrtKey fromPkcs8 = (RSAPrivateCrtKey) pkcs8(group);
    return Stream.of(
        dynamicTest("parsePrivateJwk (with a kid member) gives the PKCS#8 key", () -> {
          RSAPrivateCrtKey fromJwk = (RSAPrivateCrtKey) RsaKeys.parsePrivateJwk(jwk.encode());
          assertEquals(fromPkcs8.getModulus(), fromJwk.getModulus());
          assertEquals(fromPkcs8.getPrivateExponent(), fromJwk.getPrivateExponent());
          assertEquals(fromPkcs8.getCrtCoefficient(), fromJwk.getCrtCoefficient());
        }),
        dynamicTest("privateJwk of the PKCS#8 key gives the file's JWK members", () -> {
          JsonObject ours = new JsonObject(RsaKeys.privateJwk(fromPkcs8));
          for (String m : new String[] {"kty", "alg", "n", "e", "d", "p", "q", "dp", "dq", "qi"}) {
            assertEquals(jwk.getString(m), ours.getString(m), m);
          }
        }),
        dynamicTest("the file's modulus has its high bit set, the JWK n has no leading zero", () -> {
          byte[] n = B64.decode(jwk.getString("n"));
          assertEquals(256, n.length);
          assertTrue((n[0] & 0x80) != 0);
          String hexModulus = group.getJsonObject("privateKey").getString("modulus");
          assertEquals(257, Wycheproof.hex(hexModulus).length, "the file's modulus keeps the sign byte JWK drops");
        }));
  }

  private static byte[] decrypt(PrivateKey key, byte[] ct, byte[] label) throws GeneralSecurityException {
    if (label.length == 0) {
      return RsaKeys.unwrap(key, ct);
    }
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.DECRYPT_MODE, key, RsaKeys.oaep(label));
    return c.doFinal(ct);
  }

  private static PrivateKey pkcs8(JsonObject group) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Wycheproof.hex(group.getString("privateKeyPkcs8"))));
  }
}
