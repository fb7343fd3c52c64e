package io.sealroom.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The username rules: the normal form, and which names an account can have. */
class UsernamesTest {
  @Test
  void parseTrimsAndLowerCases() {
    assertEquals("alice.b-c_9", Usernames.parse("  Alice.B-C_9\t"));
  }

  @Test
  void parseAcceptsTwoToSixtyFourCharacters() {
    assertEquals("ab", Usernames.parse("ab"));
    assertEquals("a".repeat(64), Usernames.parse("a".repeat(64)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a", ".alice", "_alice", "-alice", "al ice", "alice!", "élise", "al/ice"})
  void parseRefusesNamesNoAccountCanHave(String raw) {
    ApiException e = assertThrows(ApiException.class, () -> Usernames.parse(raw));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertEquals("username", e.details().getString("field"));
  }

  @Test
  void parseRefusesSixtyFiveCharacters() {
    assertThrows(ApiException.class, () -> Usernames.parse("a".repeat(65)));
  }

  @Test
  void parseSaysAMissingNameIsRequired() {
    ApiException e = assertThrows(ApiException.class, () -> Usernames.parse(null));
    assertEquals("username: is required", e.getMessage());
  }

  @Test
  void normalizeDoesNotCheck() {
    assertEquals("al ice!", Usernames.normalize(" AL ICE! "));
    assertFalse(Usernames.isWellFormed(Usernames.normalize(" AL ICE! ")));
    assertTrue(Usernames.isWellFormed(Usernames.normalize(" Bob ")));
  }
}
