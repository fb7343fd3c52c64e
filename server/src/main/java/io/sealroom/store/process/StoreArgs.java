package io.sealroom.store.process;

import io.sealroom.config.ConfigException;
import java.util.HashMap;
import java.util.Map;

/**
 * The store process's command line: {@code store [--host HOST] [--port PORT] [--data-dir DIR]},
 * each option also as {@code --name=value}. Bad arguments are a {@link ConfigException} naming
 * the argument.
 */
public record StoreArgs(String host, int port, String dataDir) {
  public static final String USAGE = "java -jar sealroom.jar store [--host HOST] [--port PORT] [--data-dir DIR]";
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 27017;
  static final String DEFAULT_DATA_DIR = "data/store";

  public StoreArgs {
    if (host == null || host.isBlank()) {
      throw new ConfigException("--host", "must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--port", "must be between 0 and 65535 (got " + port + ")");
    }
    if (dataDir == null || dataDir.isBlank()) {
      throw new ConfigException("--data-dir", "must not be empty (use \"mem:\" for memory)");
    }
  }

  public boolean inMemory() {
    return "mem:".equals(dataDir);
  }

  /** Parses the arguments after {@code store}. */
  public static StoreArgs parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!name.equals("--host") && !name.equals("--port") && !name.equals("--data-dir")) {
        throw new ConfigException(name, "unknown argument (usage: " + USAGE + ")");
      }
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException(name, "needs a value (usage: " + USAGE + ")");
      }
      if (given.put(name, value) != null) {
        throw new ConfigException(name, "given more than once");
      }
    }
    return new StoreArgs(given.getOrDefault("--host", DEFAULT_HOST), port(given.get("--port")),
        given.getOrDefault("--data-dir", DEFAULT_DATA_DIR));
  }

  private static int port(String value) {
    if (value == null) {
      return DEFAULT_PORT;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException("--port", "must be an integer between 0 and 65535 (got \"" + value + "\")");
    }
  }
}
