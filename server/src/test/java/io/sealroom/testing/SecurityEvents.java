package io.sealroom.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the security log lines (logger {@code sealroom.security}) written in this JVM while
 * open, for tests of in-process nodes. In text mode a line reads
 * {@code security event=login_limited username=alice address=127.0.0.1}.
 */
public final class SecurityEvents implements AutoCloseable {
  private final Logger logger = Logger.getLogger("sealroom.security");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  public SecurityEvents() {
    logger.addHandler(handler);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines of this event kind that hold every one of the given {@code key=value} fields. */
  public List<String> of(String event, String... fields) {
    return lines.stream().filter(l -> (" " + l + " ").contains(" event=" + event + " ")
        && java.util.Arrays.stream(fields).allMatch(f -> (" " + l + " ").contains(" " + f + " "))).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
