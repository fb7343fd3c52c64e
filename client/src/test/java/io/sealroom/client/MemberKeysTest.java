package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemberKeysTest {
  static PrivateKeys keys;

  @BeforeAll
  static void generate() throws Exception {
    keys = PrivateKeys.generate();
  }

  @Test
  void aWrappedRoomKeyComesBackUnderItsKid() {
    byte[] raw = RoomKeys.generate();
    JsonObject k = MemberKeys.wrap(keys.rsaPublic(), raw);
    assertEquals(RoomKeys.kid(raw), k.getString("kid"));
    assertEquals("RSA-OAEP-256", k.getString("alg"));
    assertArrayEquals(raw, MemberKeys.unwrap(keys.rsaPrivate(), k, RoomKeys.kid(raw)));
  }

  @Test
  void wrapsForAPublicJwkAsTheServerRelaysIt() {
    byte[] raw = RoomKeys.generate();
    JsonObject k = MemberKeys.wrap(new JsonObject(keys.publicJwk()), raw);
    assertArrayEquals(raw, MemberKeys.unwrap(keys.rsaPrivate(), k, k.getString("kid")));
  }

  @Test
  void aKeyFiledUnderAnotherKidIsRejected() {
    byte[] injected = RoomKeys.generate();
    String roomKid = RoomKeys.kid(RoomKeys.generate());
    JsonObject k = MemberKeys.wrap(keys.rsaPublic(), injected).put("kid", roomKid);
    SealroomException e = assertThrows(SealroomException.class, () -> MemberKeys.unwrap(keys.rsaPrivate(), k, roomKid));
    assertEquals("bad_key", e.code());
  }

  @Test
  void aKeyWhoseOwnKidDiffersFromTheRoomsIsRejected() {
    byte[] raw = RoomKeys.generate();
    JsonObject k = MemberKeys.wrap(keys.rsaPublic(), raw);
    String other = RoomKeys.kid(RoomKeys.generate());
    assertThrows(SealroomException.class, () -> MemberKeys.unwrap(keys.rsaPrivate(), k, other));
  }

  @Test
  void aKeyForSomeoneElseDoesNotOpen() throws Exception {
    PrivateKeys other = PrivateKeys.generate();
    byte[] raw = RoomKeys.generate();
    JsonObject k = MemberKeys.wrap(other.rsaPublic(), raw);
    assertThrows(SealroomException.class, () -> MemberKeys.unwrap(keys.rsaPrivate(), k, RoomKeys.kid(raw)));
  }
}
