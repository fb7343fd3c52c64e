package io.sealroom.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the configuration: schema defaults, then the JSON file (nested objects, e.g.
 * {"http":{"port":8080}}), then SEALROOM_* environment variables. Every value is checked against
 * {@link ConfigSchema}; the first problem is a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
  private static final String ENV_PREFIX = "SEALROOM_";

  private ConfigLoader() {
  }

  public static Config load(Path file, Map<String, String> env) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read config file (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      throw new ConfigException(file.toString(), "not a JSON object (" + firstLine(e.getMessage()) + ")");
    }
    return load(json, env);
  }

  public static Config load(JsonObject json, Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    for (ConfigKey k : ConfigSchema.KEYS) {
      values.put(k.path(), k.defaultValue());
    }
    readObject(json, "", values);
    applyEnv(env, values);
    return Config.from(values);
  }

  private static void readObject(JsonObject obj, String prefix, Map<String, Object> values) {
    for (Map.Entry<String, Object> e : obj) {
      String path = prefix + e.getKey();
      ConfigKey key = ConfigSchema.get(path);
      if (key != null) {
        values.put(path, checkJson(key, e.getValue()));
      } else if (isSection(path)) {
        if (!(e.getValue() instanceof JsonObject)) {
          throw new ConfigException(path, "must be an object");
        }
        readObject((JsonObject) e.getValue(), path + ".", values);
      } else {
        throw new ConfigException(path, "unknown key");
      }
    }
  }

  private static boolean isSection(String path) {
    String p = path + ".";
    return ConfigSchema.KEYS.stream().anyMatch(k -> k.path().startsWith(p));
  }

  private static Object checkJson(ConfigKey key, Object v) {
    switch (key.type()) {
      case STRING:
        if (!(v instanceof String)) {
          throw new ConfigException(key.path(), "must be a string");
        }
        return v;
      case CHOICE:
        if (!(v instanceof String) || !key.choices().contains(v)) {
          throw new ConfigException(key.path(), "must be one of " + key.choices());
        }
        return v;
      case BOOL:
        if (!(v instanceof Boolean)) {
          throw new ConfigException(key.path(), "must be true or false");
        }
        return v;
      case INT:
        if (!(v instanceof Integer || v instanceof Long)) {
          throw new ConfigException(key.path(), "must be an integer");
        }
        return checkRange(key, ((Number) v).longValue());
      case STRING_LIST:
        if (!(v instanceof JsonArray)) {
          throw new ConfigException(key.path(), "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (JsonArray) v) {
          if (!(o instanceof String)) {
            throw new ConfigException(key.path(), "must be an array of strings");
          }
          out.add((String) o);
        }
        return List.copyOf(out);
      default:
        throw new IllegalStateException(key.type().name());
    }
  }

  private static long checkRange(ConfigKey key, long v) {
    if (v < key.min() || v > key.max()) {
      throw new ConfigException(key.path(),
          "must be between " + key.min() + " and " + key.max() + " (got " + v + ")");
    }
    return v;
  }

  private static void applyEnv(Map<String, String> env, Map<String, Object> values) {
    Map<String, ConfigKey> byEnv = new HashMap<>();
    for (ConfigKey k : ConfigSchema.KEYS) {
      byEnv.put(k.envName(), k);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      ConfigKey key = byEnv.get(e.getKey());
      if (key == null) {
        throw new ConfigException(e.getKey(), "unknown configuration variable");
      }
      values.put(key.path(), parseEnv(key, e.getKey(), e.getValue()));
    }
  }

  private static Object parseEnv(ConfigKey key, String var, String raw) {
    String where = key.path() + " (from " + var + ")";
    switch (key.type()) {
      case STRING:
        return raw;
      case CHOICE:
        if (!key.choices().contains(raw)) {
          throw new ConfigException(where, "must be one of " + key.choices());
        }
        return raw;
      case BOOL:
        if (!raw.equals("true") && !raw.equals("false")) {
          throw new ConfigException(where, "must be true or false (got \"" + raw + "\")");
        }
        return Boolean.parseBoolean(raw);
      case INT:
        try {
          long v = Long.parseLong(raw.trim());
          if (v < key.min() || v > key.max()) {
            throw new ConfigException(where, "must be between " + key.min() + " and " + key.max() + " (got " + v + ")");
          }
          return v;
        } catch (NumberFormatException e) {
          throw new ConfigException(where, "must be an integer (got \"" + raw + "\")");
        }
      case STRING_LIST:
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",")) {
          if (!s.isBlank()) {
            out.add(s.trim());
          }
        }
        return List.copyOf(out);
      default:
        throw new IllegalStateException(key.type().name());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
