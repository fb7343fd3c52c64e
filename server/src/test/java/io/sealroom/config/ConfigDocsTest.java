package io.sealroom.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shipped config file and the configuration reference in step with
 * {@link ConfigSchema}: conf/config.json holds every key with its schema default, and
 * docs/configuration.md names every key and its environment variable. Plain files, no deployment.
 */
class ConfigDocsTest {
  private static final Path ROOT = Path.of(System.getProperty("sealroom.root", ".."));
  private static final Path CONFIG_JSON = ROOT.resolve("conf/config.json");
  private static final Path CONFIG_DOC = ROOT.resolve("docs/configuration.md");

  @Test
  void configJsonHoldsEveryKeyWithItsSchemaDefault() throws IOException {
    JsonObject json = new JsonObject(Files.readString(CONFIG_JSON, StandardCharsets.UTF_8));
    List<String> problems = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.KEYS) {
      Object value = lookup(json, key.path());
      if (value == null) {
        problems.add(key.path() + ": missing");
      } else if (!sameValue(key, value)) {
        problems.add(key.path() + ": " + value + " differs from the schema default " + key.defaultValue());
      }
    }
    assertTrue(problems.isEmpty(), CONFIG_JSON + " disagrees with ConfigSchema:\n  " + String.join("\n  ", problems));
  }

  @Test
  void configJsonLoadsWithoutUnknownOrInvalidKeys() throws IOException {
    JsonObject json = new JsonObject(Files.readString(CONFIG_JSON, StandardCharsets.UTF_8));
    assertDoesNotThrow(() -> ConfigLoader.load(json, Map.of()));
  }

  @Test
  void configurationDocNamesEveryKeyAndItsEnvironmentVariable() throws IOException {
    String doc = Files.readString(CONFIG_DOC, StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.KEYS) {
      if (!mentions(doc, key.path())) {
        problems.add("key " + key.path() + " is not mentioned");
      }
      if (!mentions(doc, key.envName())) {
        problems.add("variable " + key.envName() + " (for " + key.path() + ") is not mentioned");
      }
    }
    assertTrue(problems.isEmpty(), CONFIG_DOC + " is incomplete:\n  " + String.join("\n  ", problems));
  }

  /** The value at a dotted path of nested objects, or null when any step is absent. */
  private static Object lookup(JsonObject root, String path) {
    String[] parts = path.split("\\.");
    JsonObject o = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = o.getValue(parts[i]);
      if (!(next instanceof JsonObject)) {
        return null;
      }
      o = (JsonObject) next;
    }
    return o.getValue(parts[parts.length - 1]);
  }

  private static boolean sameValue(ConfigKey key, Object value) {
    switch (key.type()) {
      case INT:
        return (value instanceof Integer || value instanceof Long)
            && ((Number) value).longValue() == ((Number) key.defaultValue()).longValue();
      case STRING_LIST:
        return value instanceof JsonArray && ((JsonArray) value).getList().equals(key.defaultValue());
      default:
        return key.defaultValue().equals(value);
    }
  }

  /** True when the text contains the name as a whole token (not as part of a longer key or variable). */
  private static boolean mentions(String text, String name) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w.])").matcher(text).find();
  }
}
