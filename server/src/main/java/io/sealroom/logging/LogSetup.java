package io.sealroom.logging;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sets up the node's log: SLF4J on the JDK's java.util.logging, written to standard error as
 * text lines (the JDK's format) or as one JSON object per line ({@code log.format=json}). An
 * operator's own java.util.logging configuration file (-Djava.util.logging.config.file) is left
 * alone.
 */
public final class LogSetup {
  private LogSetup() {
  }

  /** Applies the format to the root logger's console handlers (adding one when there is none). */
  public static synchronized void configure(boolean json) {
    SecurityLog.json(json);
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    Formatter f = json ? new JsonLines() : new SimpleFormatter();
    boolean found = false;
    for (Handler h : root.getHandlers()) {
      if (h instanceof ConsoleHandler) {
        h.setFormatter(f);
        found = true;
      }
    }
    if (!found) {
      Handler h = new ConsoleHandler();
      h.setFormatter(f);
      root.addHandler(h);
    }
  }

  /** One JSON object per record: ts, level, logger, message, and the thrown exception's text. */
  static final class JsonLines extends Formatter {
    @Override
    public String format(LogRecord r) {
      String message = formatMessage(r);
      JsonObject o = new JsonObject().put("ts", Instant.ofEpochMilli(r.getMillis()).toString())
          .put("level", r.getLevel().getName()).put("logger", r.getLoggerName());
      if (SecurityLog.LOGGER.equals(r.getLoggerName()) && message != null && message.startsWith("{")) {
        try {
          o.mergeIn(new JsonObject(message));
        } catch (RuntimeException e) {
          o.put("message", message);
        }
      } else {
        o.put("message", message);
      }
      if (r.getThrown() != null) {
        java.io.StringWriter w = new java.io.StringWriter();
        r.getThrown().printStackTrace(new java.io.PrintWriter(w));
        o.put("error", w.toString());
      }
      return o.encode() + System.lineSeparator();
    }
  }
}
