package io.sealroom.client.crypto;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Reads Project Wycheproof vector files from the test resources (wycheproof/, copied with their
 * licence and source: see wycheproof/SOURCE.md there). A missing file fails its tests.
 */
final class Wycheproof {
  private static final String DIR = "/wycheproof/";

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

  /** The body's tests for the parsed file; a file missing from the test resources is an error. */
  static Stream<DynamicTest> forFile(String file, Body body) throws Exception {
    try (InputStream in = Wycheproof.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("Wycheproof vectors missing from the test resources: " + DIR + file);
      }
      return body.tests(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
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
