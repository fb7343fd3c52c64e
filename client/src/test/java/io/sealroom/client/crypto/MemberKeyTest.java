package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemberKeyTest {
  private static KeyPair bob;

  @BeforeAll
  static void keys() {
    bob = RsaKeys.generate();
  }

  @Test
  void wrapsTheRoomKeyInTheDesignFormat() throws Exception {
    byte[] roomKey = RoomKeys.generate();
    JsonObject json = new JsonObject(MemberKey.wrap(roomKey, (RSAPublicKey) bob.getPublic()));
    assertEquals(java.util.Set.of("kid", "alg", "ct"), json.fieldNames());
    assertEquals("RSA-OAEP-256", json.getString("alg"));
    assertEquals(RoomKeys.kid(roomKey), json.getString("kid"));
    assertArrayEquals(roomKey, RsaKeys.unwrap(bob.getPrivate(), B64.decode(json.getString("ct"))));
    assertArrayEquals(roomKey, MemberKey.unwrap(json.encode(), bob.getPrivate(), RoomKeys.kid(roomKey)));
  }

  @Test
  void aKeyThatDoesNotMatchItsKidIsRefused() {
    byte[] roomKey = RoomKeys.generate();
    byte[] injected = RoomKeys.generate();
    // a member labels a different key with the room's kid
    String forged = new JsonObject(MemberKey.wrap(injected, (RSAPublicKey) bob.getPublic()))
        .put("kid", RoomKeys.kid(roomKey)).encode();
    assertThrows(IllegalArgumentException.class, () -> MemberKey.unwrap(forged, bob.getPrivate(), null));
    String honest = MemberKey.wrap(injected, (RSAPublicKey) bob.getPublic());
    assertThrows(IllegalArgumentException.class,
        () -> MemberKey.unwrap(honest, bob.getPrivate(), RoomKeys.kid(roomKey)));
  }

  @Test
  void theWrongPrivateKeyCannotUnwrap() {
    String wrapped = MemberKey.wrap(RoomKeys.generate(), (RSAPublicKey) bob.getPublic());
    assertThrows(GeneralSecurityException.class,
        () -> MemberKey.unwrap(wrapped, RsaKeys.generate().getPrivate(), null));
  }
}
