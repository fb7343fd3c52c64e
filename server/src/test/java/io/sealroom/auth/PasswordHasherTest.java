package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.config.Config;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Argon2id hashing in the PHC string format, with cheap parameters so the test stays fast. */
class PasswordHasherTest {
  private static final Config.Argon2 CHEAP = new Config.Argon2(64, 1, 1);
  private static final Config.Argon2 OTHER = new Config.Argon2(128, 2, 2);
  private final PasswordHasher hasher = new PasswordHasher(CHEAP);

  @Test
  void aHashVerifiesItsPassword() {
    String h = hasher.hash("correct horse battery staple");
    assertTrue(hasher.verify("correct horse battery staple", h));
  }

  @Test
  void aWrongPasswordFails() {
    String h = hasher.hash("correct horse battery staple");
    assertFalse(hasher.verify("correct horse battery stapler", h));
    assertFalse(hasher.verify("Correct horse battery staple", h));
    assertFalse(hasher.verify("", h));
  }

  @Test
  void unicodePasswordsAreHashedAsUtf8() {
    String h = hasher.hash("pässwörd-密码");
    assertTrue(hasher.verify("pässwörd-密码", h));
    assertFalse(hasher.verify("passwort-密码", h));
  }

  @Test
  void theHashIsAPhcStringWithItsParametersAndARandomSalt() {
    String h = hasher.hash("password");
    // 16-byte salt and 32-byte hash in unpadded standard base64
    Pattern phc = Pattern.compile("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertTrue(phc.matcher(h).matches(), h.substring(0, Math.min(h.length(), 30)));
    assertNotEquals(h, hasher.hash("password"), "a fresh salt every time");
  }

  @Test
  void aHashMadeWithOtherParametersStillVerifies() {
    String old = new PasswordHasher(OTHER).hash("raise the cost later");
    assertTrue(old.startsWith("$argon2id$v=19$m=128,t=2,p=2$"));
    assertTrue(hasher.verify("raise the cost later", old));
    assertFalse(hasher.verify("raise the cost now", old));
  }

  @Test
  void malformedHashesAreFalseNotErrors() {
    String good = hasher.hash("password");
    String[] bad = {
        "", "garbage", "$argon2id$", good.substring(0, good.lastIndexOf('$')),
        good.replace("$argon2id$", "$argon2i$"), good.replace("v=19", "v=16"),
        good.replace("m=64,t=1,p=1", "m=64,t=1"), good.replace("m=64", "m=abc"), good.replace("m=64", "x=64"),
        good.replace("m=64,t=1,p=1", "m=64,t=0,p=1"), good.substring(0, good.length() - 3) + "!!!",
        good + "$extra"};
    for (String b : bad) {
      assertFalse(hasher.verify("password", b), "malformed: " + b.length() + " chars");
    }
    assertFalse(hasher.verify("password", null));
  }

  @Test
  void needsRehashWhenTheParametersDifferFromTheConfiguration() {
    assertFalse(hasher.needsRehash(hasher.hash("password")));
    assertTrue(hasher.needsRehash(new PasswordHasher(OTHER).hash("password")));
    assertTrue(hasher.needsRehash(new PasswordHasher(new Config.Argon2(64, 2, 1)).hash("password")));
    assertTrue(hasher.needsRehash("$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA"));
  }
}
