package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof PBKDF2-HMAC-SHA256 vectors through the derivation KeyWrap uses. A Sealroom password is
 * text, derived from its UTF-8 bytes, so vectors whose password bytes are not UTF-8 cannot be
 * expressed and are reported as skipped.
 */
class Pbkdf2VectorsTest {
  @TestFactory
  Stream<DynamicTest> derivedKeysMatchTheVectors() throws Exception {
    return Wycheproof.forFile("pbkdf2_hmacsha256_test.json", Pbkdf2VectorsTest::vectors);
  }

  private static Stream<DynamicTest> vectors(JsonObject file) {
    List<Wycheproof.Case> cases = Wycheproof.cases(file, g -> true);
    assertEquals(60, cases.size(), "vector count");
    return cases.stream().map(c -> dynamicTest(c.name() + " " + c.test().getJsonArray("flags"), () -> {
      assertEquals("valid", c.result());
      String password = utf8(c.hex("password"));
      assumeTrue(password != null, "password bytes are not UTF-8, so not a possible Sealroom password");
      byte[] derived = KeyWrap.deriveKey(password.toCharArray(), c.hex("salt"),
          c.test().getInteger("iterationCount"), c.test().getInteger("dkLen"));
      assertArrayEquals(c.hex("dk"), derived);
    }));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
