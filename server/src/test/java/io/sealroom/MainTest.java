package io.sealroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.config.Config;
import io.sealroom.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: only --config FILE (or --config=FILE) is accepted. */
class MainTest {

  @Test
  void refusesAnUnknownArgumentNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> Main.loadConfig(new String[] {"--port", "8081"}));
    assertTrue(e.getMessage().startsWith("--port:"), e.getMessage());
    assertTrue(e.getMessage().contains("--config"), "shows the usage: " + e.getMessage());
    ConfigException stray = assertThrows(ConfigException.class, () -> Main.loadConfig(new String[] {"config.json"}));
    assertTrue(stray.getMessage().startsWith("config.json:"), stray.getMessage());
  }

  @Test
  void refusesConfigWithoutAFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> Main.loadConfig(new String[] {"--config"}));
    assertTrue(e.getMessage().startsWith("--config:"), e.getMessage());
  }

  @Test
  void readsTheNamedConfigFileInBothSpellings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"http\":{\"port\":9191},\"store\":{\"dataDir\":\"mem:\"}}", StandardCharsets.UTF_8);
    Config spaced = Main.loadConfig(new String[] {"--config", file.toString()});
    assertEquals(9191, spaced.http().port());
    assertEquals("mem:", spaced.store().dataDir());
    assertEquals(spaced, Main.loadConfig(new String[] {"--config=" + file}));
  }

  @Test
  void aMissingOrInvalidConfigFileIsAConfigError(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.json");
    ConfigException e = assertThrows(ConfigException.class, () -> Main.loadConfig(new String[] {"--config", missing.toString()}));
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"http\":{\"port\":\"x\"}}", StandardCharsets.UTF_8);
    ConfigException b = assertThrows(ConfigException.class, () -> Main.loadConfig(new String[] {"--config", bad.toString()}));
    assertTrue(b.getMessage().startsWith("http.port:"), b.getMessage());
  }
}
