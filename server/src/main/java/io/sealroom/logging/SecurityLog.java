package io.sealroom.logging;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events for operators, one structured line each on the logger {@code sealroom.security}:
 * logins refused over the rate limit, registrations refused over theirs, key resets, ended
 * sessions, connections cut for being slow or abusive. Fields are identifiers, addresses,
 * counts and reasons only: never a password, token, key or message. In text mode a line reads
 * {@code security event=login_limited username=alice address=10.0.0.7}; in JSON mode
 * ({@code log.format=json}) the fields are fields of the line's JSON object. Thread-safe.
 */
public final class SecurityLog {
  /** The logger name operators can route or filter on. */
  public static final String LOGGER = "sealroom.security";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static volatile boolean json;

  private SecurityLog() {
  }

  static void json(boolean on) {
    json = on;
  }

  /** Starts an event of the given kind (snake_case); add fields, then {@link Event#log()}. */
  public static Event event(String kind) {
    return new Event(kind);
  }

  /** One event being built. */
  public static final class Event {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Event(String kind) {
      fields.put("event", kind);
    }

    /** Adds a field; a null value is left out. */
    public Event with(String key, Object value) {
      if (value != null) {
        fields.put(key, value);
      }
      return this;
    }

    /** Writes the line (level WARN). */
    public void log() {
      if (!LOG.isWarnEnabled()) {
        return;
      }
      LOG.warn(json ? new JsonObject(fields).encode() : text(fields));
    }
  }

  static String text(Map<String, Object> fields) {
    StringBuilder b = new StringBuilder("security");
    fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(quoted(String.valueOf(v))));
    return b.toString();
  }

  private static String quoted(String v) {
    boolean plain = !v.isEmpty();
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c < 0x7f && c != '"' && c != '=' && c != '\\';
    }
    if (plain) {
      return v;
    }
    // a value sent by a client (a username) cannot forge fields or lines
    return new io.vertx.core.json.JsonArray().add(v).encode().replaceAll("^\\[|\\]$", "");
  }
}
