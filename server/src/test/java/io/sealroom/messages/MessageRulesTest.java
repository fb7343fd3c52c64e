package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.Base64Url;
import io.sealroom.common.ErrorCode;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomType;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Shape checks of a send (cid, text, e2e envelope) and the room's encryption rules. */
class MessageRulesTest {
  private static final String KID = "kid0123456789abc";

  static String b64(int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[bytes]);
  }

  static E2ePayload e2e(String kid, String iv, String ct, String sig) {
    return new E2ePayload(kid, iv, ct, sig);
  }

  static E2ePayload good() {
    return e2e(KID, b64(12), b64(40), b64(64));
  }

  static SendRequest text(String cid, String text) {
    return new SendRequest("r1", cid, text, null);
  }

  static SendRequest enc(E2ePayload p) {
    return new SendRequest("r1", "c1", null, p);
  }

  static Room room(boolean encrypted, String kid) {
    return new Room("r1", RoomType.PRIVATE, "room", "u1", encrypted, kid, false, 0, 0, null);
  }

  static void assertShape(SendRequest req, ErrorCode code, String field) {
    ApiException e = assertThrows(ApiException.class, () -> MessageRules.checkShape(req));
    assertEquals(code, e.code());
    if (field != null) {
      assertTrue(e.getMessage().startsWith(field), "names " + field + ": " + e.getMessage());
    }
  }

  @Test
  void acceptsAWellFormedTextAndE2eMessage() {
    assertDoesNotThrow(() -> MessageRules.checkShape(text("Abc.09_:-x", "hello")));
    assertDoesNotThrow(() -> MessageRules.checkShape(text("c".repeat(64), "t".repeat(16_384))));
    assertDoesNotThrow(() -> MessageRules.checkShape(enc(good())));
    assertDoesNotThrow(() -> MessageRules.checkShape(enc(e2e(KID, b64(12), b64(16), null))), "sig is optional");
  }

  @Test
  void cidMustBeShortAndOfSafeCharacters() {
    assertShape(text(null, "t"), ErrorCode.INVALID_REQUEST, "cid");
    assertShape(text("", "t"), ErrorCode.INVALID_REQUEST, "cid");
    assertShape(text("c".repeat(65), "t"), ErrorCode.INVALID_REQUEST, "cid");
    for (String bad : new String[] {"a b", "a/b", "a\u0000b", "ä", "a$b", "{}"}) {
      assertShape(text(bad, "t"), ErrorCode.INVALID_REQUEST, "cid");
    }
  }

  @Test
  void cidCharactersAreExactlyTheDocumentedSet() {
    java.util.regex.Pattern documented = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]+");
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String one = String.valueOf(c);
      assertEquals(documented.matcher(one).matches(), MessageRules.isCidChars(one), "char " + (int) c);
    }
    assertTrue(MessageRules.isCidChars("Ab9._:-z"));
  }

  @Test
  void exactlyOneOfTextAndE2e() {
    assertShape(new SendRequest("r1", "c1", null, null), ErrorCode.INVALID_REQUEST, "text");
    assertShape(new SendRequest("r1", "c1", "t", good()), ErrorCode.INVALID_REQUEST, "text");
  }

  @Test
  void textMustNotBeBlankNorTooLong() {
    assertShape(text("c1", ""), ErrorCode.INVALID_REQUEST, "text");
    assertShape(text("c1", " \n\t "), ErrorCode.INVALID_REQUEST, "text");
    assertShape(text("c1", "t".repeat(16_385)), ErrorCode.TOO_LARGE, null);
  }

  @Test
  void kidMustBeShortBase64url() {
    assertShape(enc(e2e(null, b64(12), b64(40), null)), ErrorCode.INVALID_REQUEST, "e2e.kid");
    assertShape(enc(e2e("", b64(12), b64(40), null)), ErrorCode.INVALID_REQUEST, "e2e.kid");
    assertShape(enc(e2e("k".repeat(65), b64(12), b64(40), null)), ErrorCode.INVALID_REQUEST, "e2e.kid");
    assertShape(enc(e2e("kid+/=", b64(12), b64(40), null)), ErrorCode.INVALID_REQUEST, "e2e.kid");
  }

  @Test
  void ivMustBeTwelveBytesOfUnpaddedBase64url() {
    for (String iv : new String[] {null, "", b64(11), b64(13), b64(12) + "=", "AAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAA/",
        "A".repeat(17), "AAAAAAAAAAAAAAA!"}) {
      assertShape(enc(e2e(KID, iv, b64(40), null)), ErrorCode.INVALID_REQUEST, "e2e.iv");
    }
  }

  @Test
  void ctMustHoldAtLeastTheTagAndStayUnderTheLimit() {
    assertShape(enc(e2e(KID, b64(12), null, null)), ErrorCode.INVALID_REQUEST, "e2e.ct");
    assertShape(enc(e2e(KID, b64(12), "", null)), ErrorCode.INVALID_REQUEST, "e2e.ct");
    assertShape(enc(e2e(KID, b64(12), b64(15), null)), ErrorCode.INVALID_REQUEST, "e2e.ct");
    assertShape(enc(e2e(KID, b64(12), b64(40) + "==", null)), ErrorCode.INVALID_REQUEST, "e2e.ct");
    assertShape(enc(e2e(KID, b64(12), "A".repeat(21), null)), ErrorCode.INVALID_REQUEST, "e2e.ct");
    assertShape(enc(e2e(KID, b64(12), "A".repeat(65_537), null)), ErrorCode.TOO_LARGE, null);
    assertDoesNotThrow(() -> MessageRules.checkShape(enc(e2e(KID, b64(12), "A".repeat(65_536), null))));
  }

  @Test
  void sigWhenPresentIsSixtyFourBytes() {
    assertShape(enc(e2e(KID, b64(12), b64(40), b64(63))), ErrorCode.INVALID_REQUEST, "e2e.sig");
    assertShape(enc(e2e(KID, b64(12), b64(40), b64(65))), ErrorCode.INVALID_REQUEST, "e2e.sig");
    assertShape(enc(e2e(KID, b64(12), b64(40), "")), ErrorCode.INVALID_REQUEST, "e2e.sig");
  }

  @Test
  void base64urlDecodedLength() {
    assertEquals(12, Base64Url.decodedLength(b64(12)));
    assertEquals(0, Base64Url.decodedLength(""));
    assertEquals(1, Base64Url.decodedLength("AA"));
    assertEquals(-1, Base64Url.decodedLength("A"));
    assertEquals(-1, Base64Url.decodedLength("AA=="));
    assertEquals(-1, Base64Url.decodedLength("A+B/"));
    assertTrue(Base64Url.isBase64Url("Az09-_"));
    assertTrue(!Base64Url.isBase64Url("a b"));
  }

  static ApiException roomRule(SendRequest req, Room room, boolean allowUnencrypted) {
    return assertThrows(ApiException.class, () -> MessageRules.checkAgainstRoom(req, room, allowUnencrypted));
  }

  @Test
  void plainTextIsRefusedInEncryptedRoomsUnlessAllowed() {
    assertEquals(ErrorCode.PLAINTEXT_NOT_ALLOWED, roomRule(text("c1", "hi"), room(true, KID), false).code());
    assertDoesNotThrow(() -> MessageRules.checkAgainstRoom(text("c1", "hi"), room(true, KID), true));
    assertDoesNotThrow(() -> MessageRules.checkAgainstRoom(text("c1", "hi"), room(false, null), false));
  }

  @Test
  void e2eIsRefusedInPlainRooms() {
    assertEquals(ErrorCode.ENCRYPTION_NOT_ALLOWED, roomRule(enc(good()), room(false, null), false).code());
    assertEquals(ErrorCode.ENCRYPTION_NOT_ALLOWED, roomRule(enc(good()), room(false, KID), true).code());
  }

  @Test
  void e2eNeedsTheRoomsCurrentKid() {
    assertDoesNotThrow(() -> MessageRules.checkAgainstRoom(enc(good()), room(true, KID), false));
    ApiException stale = roomRule(enc(good()), room(true, "kidOTHER00000000"), false);
    assertEquals(ErrorCode.STALE_KEY, stale.code());
    assertEquals("kidOTHER00000000", stale.details().getString("kid"), "tells the client the current kid");
    assertEquals(ErrorCode.STALE_KEY, roomRule(enc(good()), room(true, null), false).code(), "no key yet");
  }
}
