package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar as operators run it writes security events through its logging provider, as
 * JSON lines with log.format=json (the in-process tests see the test classpath, not the jar's).
 */
class SecurityLogJarIT {
  @TempDir
  Path dir;

  @Test
  void theJarWritesSecurityEventsAsJsonLines() throws Exception {
    Path log = dir.resolve("node.log");
    int port = JarProcess.freePort();
    try (JarProcess node = JarProcess.start(port, Map.of("SEALROOM_STORE_DATADIR", "mem:", "SEALROOM_LOG_FORMAT", "json",
        "SEALROOM_AUTH_REGISTRATIONRATE_PERADDRESS", "1"), log)) {
      Api api = new Api(node.baseUrl());
      assertEquals(201, api.register("logged1", "correct horse battery").status());
      Api.Res refused = api.register("logged2", "correct horse battery");
      assertEquals(429, refused.status());
      JsonObject event = null;
      long deadline = System.currentTimeMillis() + 5000;
      while (event == null && System.currentTimeMillis() < deadline) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.startsWith("{") && line.contains("registration_limited")) {
            event = new JsonObject(line);
          }
        }
        Thread.sleep(100);
      }
      assertTrue(event != null, "no registration_limited line in the node's log:\n" + JarProcess.tail(log, 20));
      assertEquals("sealroom.security", event.getString("logger"));
      assertEquals("registration_limited", event.getString("event"));
      assertEquals("127.0.0.1", event.getString("address"));
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertFalse(lines.stream().anyMatch(l -> l.contains("NOP") || l.contains("noProviders")),
          "the jar has a logging provider");
      assertFalse(lines.stream().anyMatch(l -> l.contains("correct horse battery")), "no password in the log");
    }
  }
}
