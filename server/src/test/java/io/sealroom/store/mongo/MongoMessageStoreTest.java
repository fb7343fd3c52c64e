package io.sealroom.store.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Search queries are literals: escapeRegex makes every regex metacharacter match itself. */
class MongoMessageStoreTest {

  static Pattern caseInsensitive(String literal) {
    return Pattern.compile(MongoMessageStore.escapeRegex(literal), Pattern.CASE_INSENSITIVE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "-", "/"})
  void eachMetacharacterIsEscaped(String c) {
    assertEquals("\\" + c, MongoMessageStore.escapeRegex(c));
    assertTrue(caseInsensitive(c).matcher(c).matches());
  }

  @Test
  void ordinaryTextIsUnchanged() {
    assertEquals("hello World 123 äöü _#@!,;:'\"", MongoMessageStore.escapeRegex("hello World 123 äöü _#@!,;:'\""));
    assertEquals("", MongoMessageStore.escapeRegex(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.b", "1+1=2?", "(x)[y]{z}", "^start", "end$", "a|b", "c:\\dir\\file", ".*", "[a-z]+",
      "a{2,3}", "\\Q.\\E", "x\\", "path/to/file", "-->", "(?i)X"})
  void theEscapedPatternMatchesExactlyTheLiteral(String literal) {
    Pattern p = caseInsensitive(literal);
    assertTrue(p.matcher(literal).matches(), literal);
    assertTrue(p.matcher("before " + literal.toUpperCase() + " after").find(), "a case-insensitive substring");
  }

  @Test
  void metacharactersDoNotActAsOperators() {
    assertFalse(caseInsensitive("a.b").matcher("axb").find());
    assertFalse(caseInsensitive(".*").matcher("anything").find());
    assertFalse(caseInsensitive("1+1").matcher("11").find());
    assertFalse(caseInsensitive("a|b").matcher("a").find());
    assertFalse(caseInsensitive("[ab]").matcher("a").find());
    assertFalse(caseInsensitive("x{2}").matcher("xx").find());
    assertFalse(caseInsensitive("^a").matcher("a").find());
    assertFalse(caseInsensitive("(?i)x").matcher("x").find());
  }
}
