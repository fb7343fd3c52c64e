package io.sealroom.config;

/** An invalid configuration: the message is one line naming the key and the problem. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super(key + ": " + problem, null, false, false);
  }
}
