package io.sealroom.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration key: its dotted path, type, default, bounds and meaning. The schema is the
 * single source for validation, the environment-override names and docs/configuration.md.
 */
public record ConfigKey(String path, Type type, Object defaultValue, long min, long max,
    List<String> choices, String doc) {

  /** Value types a key can have. */
  public enum Type { STRING, INT, BOOL, STRING_LIST, CHOICE }

  public ConfigKey {
    Objects.requireNonNull(path);
    Objects.requireNonNull(type);
    Objects.requireNonNull(defaultValue);
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  static ConfigKey string(String path, String def, String doc) {
    return new ConfigKey(path, Type.STRING, def, 0, 0, null, doc);
  }

  static ConfigKey integer(String path, long def, long min, long max, String doc) {
    return new ConfigKey(path, Type.INT, def, min, max, null, doc);
  }

  static ConfigKey bool(String path, boolean def, String doc) {
    return new ConfigKey(path, Type.BOOL, def, 0, 0, null, doc);
  }

  static ConfigKey list(String path, List<String> def, String doc) {
    return new ConfigKey(path, Type.STRING_LIST, def, 0, 0, null, doc);
  }

  static ConfigKey choice(String path, String def, List<String> choices, String doc) {
    return new ConfigKey(path, Type.CHOICE, def, 0, 0, choices, doc);
  }

  /** The environment variable that overrides this key: SEALROOM_ + path upper-cased, dots as underscores. */
  public String envName() {
    return "SEALROOM_" + path.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
  }
}
