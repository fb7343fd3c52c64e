package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Wycheproof AES-GCM vectors for the one shape Sealroom uses: 256-bit key, 96-bit iv, 128-bit tag. */
class AesGcmVectorsTest {
  @TestFactory
  Stream<DynamicTest> roomKeyDecryptionFollowsTheVectors() throws Exception {
    return Wycheproof.forFile("aes_gcm_test.json", AesGcmVectorsTest::vectors);
  }

  private static Stream<DynamicTest> vectors(JsonObject file) {
    List<Wycheproof.Case> cases = Wycheproof.cases(file,
        g -> g.getInteger("keySize") == 256 && g.getInteger("ivSize") == 96 && g.getInteger("tagSize") == 128);
    assertTrue(cases.size() >= 60, "256/96/128 vectors found: " + cases.size());
    assertTrue(cases.stream().anyMatch(c -> "invalid".equals(c.result())), "invalid vectors present");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      byte[] key = c.hex("key");
      byte[] iv = c.hex("iv");
      byte[] aad = c.hex("aad");
      byte[] ctTag = concat(c.hex("ct"), c.hex("tag")); // the Web Crypto layout RoomKeys uses
      if ("valid".equals(c.result())) {
        assertArrayEquals(c.hex("msg"), RoomKeys.decrypt(key, iv, ctTag, aad));
      } else {
        assertThrows(GeneralSecurityException.class, () -> RoomKeys.decrypt(key, iv, ctTag, aad));
      }
    }));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
