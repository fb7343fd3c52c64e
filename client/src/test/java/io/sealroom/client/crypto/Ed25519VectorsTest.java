package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonObject;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Wycheproof Ed25519 verification vectors, including signature malleability (s + L). */
class Ed25519VectorsTest {
  @TestFactory
  Stream<DynamicTest> verifyFollowsTheVectors() throws Exception {
    return Wycheproof.forFile("ed25519_test.json", Ed25519VectorsTest::vectors);
  }

  private static Stream<DynamicTest> vectors(JsonObject file) {
    List<Wycheproof.Case> cases = Wycheproof.cases(file, g -> true);
    assertTrue(cases.size() >= 150, "vector count " + cases.size());
    assertTrue(cases.stream().filter(c -> c.hasFlag("SignatureMalleability")).count() >= 4,
        "malleability vectors present");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      String jwk = c.group().getJsonObject("publicKeyJwk").encode(); // carries "kid":"none" too
      PublicKey key = SigningKeys.parsePublicJwk(jwk);
      assertEquals(c.group().getJsonObject("publicKey").getString("pk"),
          java.util.HexFormat.of().formatHex(SigningKeys.rawPublic(key)));
      boolean expected = "valid".equals(c.result());
      assertEquals(expected, SigningKeys.verify(key, c.hex("msg"), c.hex("sig")));
    }));
  }
}
