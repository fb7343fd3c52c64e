package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Reads Project Wycheproof vector files where they live, outside the project (they are not copied
 * in): ../shared/testvectors/wycheproof from the project directory, or the directory named by the
 * system property sealroom.wycheproof. Tests of a missing file are skipped with a message.
 */
final class Wycheproof {
  static final Path DIR = Paths.get(System.getProperty("sealroom.wycheproof", "../shared/testvectors/wycheproof"))
      .toAbsolutePath().normalize();

  /** One test case with the group it belongs to (keys and parameters live on the group). */
  record Case(JsonObject group, JsonObject test) {
    int id() {
      return test.getInteger("tcId");
    }

    String result() {
      return test.getString("result");
    }

    boolean hasFlag(String flag) {
      return test.getJsonArray("flags", new JsonArray()).contains(flag);
    }

    byte[] hex(String member) {
      return Wycheproof.hex(test.getString(member));
    }

    String name() {
      String comment = test.getString("comment", "");
      return "tcId " + id() + " " + result() + (comment.isEmpty() ? "" : " (" + comment + ")");
    }
  }

  private Wycheproof() {
  }

  /** Builds the dynamic tests of one vector file. */
  interface Body {
    Stream<DynamicTest> tests(JsonObject file) throws Exception;
  }

  /**
   * The body's tests for the parsed file or, when the file is absent, one test that is skipped
   * with a message saying why (an aborted factory would vanish from the counts silently).
   */
  static Stream<DynamicTest> forFile(String file, Body body) throws Exception {
    Path path = DIR.resolve(file);
    if (!Files.isRegularFile(path)) {
      String why = "Wycheproof vectors not found: " + path + " is missing (they are read from"
          + " ../shared/testvectors/wycheproof, or -Dsealroom.wycheproof=DIR, and never copied into the"
          + " project), so the " + file + " vector tests are skipped";
      return Stream.of(dynamicTest("Wycheproof vectors absent: " + file, () -> assumeTrue(false, why)));
    }
    return body.tests(new JsonObject(Files.readString(path, StandardCharsets.UTF_8)));
  }

  /** Every case of the groups the filter accepts, in file order. */
  static List<Case> cases(JsonObject file, Predicate<JsonObject> groupFilter) {
    List<Case> out = new ArrayList<>();
    for (Object g : file.getJsonArray("testGroups")) {
      JsonObject group = (JsonObject) g;
      if (groupFilter.test(group)) {
        for (Object t : group.getJsonArray("tests")) {
          out.add(new Case(group, (JsonObject) t));
        }
      }
    }
    return out;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
