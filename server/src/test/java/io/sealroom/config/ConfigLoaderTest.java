package io.sealroom.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading, defaults, environment overrides and every validation error of the configuration. */
class ConfigLoaderTest {

  static Config load(String json) {
    return ConfigLoader.load(new JsonObject(json), Map.of());
  }

  /** The problem is a ConfigException whose message starts with the key. */
  static ConfigException refused(String json, Map<String, String> env, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new JsonObject(json), env));
    assertTrue(e.getMessage().startsWith(key + ":") || e.getMessage().startsWith(key + " "),
        "names " + key + ": " + e.getMessage());
    return e;
  }

  static ConfigException refused(String json, String key) {
    return refused(json, Map.of(), key);
  }

  @Test
  void defaultsLoadFromAnEmptyObject() {
    Config c = load("{}");
    assertEquals("0.0.0.0", c.http().host());
    assertEquals(8080, c.http().port());
    assertEquals(List.of(), c.http().allowedOrigins());
    assertEquals("", c.mongo().uri());
    assertTrue(c.mongo().embedded());
    assertEquals("sealroom", c.mongo().database());
    assertEquals("data", c.store().dataDir());
    assertTrue(c.auth().registrationOpen());
    assertEquals(new Config.Jwt("sealroom", 86400, ""), c.auth().jwt());
    assertEquals(new Config.Argon2(19456, 2, 1), c.auth().argon2());
    assertEquals(new Config.LoginRate(10, 30, 20), c.auth().loginRate());
    assertEquals(new Config.E2e(true, false, false, false, 2048, 600_000, false), c.e2e());
    assertEquals(new Config.Ws(10_000, 65_536, 1_048_576, 100, 2000, 16), c.ws());
    assertEquals(false, c.cluster().enabled());
    assertEquals(true, c.metrics().enabled());
  }

  @Test
  void theShippedConfigFileLoadsWithTheSchemaDefaults() {
    Path shipped = Path.of(System.getProperty("sealroom.root", ".."), "conf", "config.json");
    assertEquals(load("{}"), ConfigLoader.load(shipped, Map.of()));
  }

  @Test
  void fileValuesOverrideDefaults() {
    Config c = load("{\"http\":{\"port\":9090,\"allowedOrigins\":[\"https://chat.example.com\"]},"
        + "\"auth\":{\"registration\":\"closed\",\"jwt\":{\"issuer\":\"me\"}},\"e2e\":{\"defaultEncrypted\":{\"private\":true}}}");
    assertEquals(9090, c.http().port());
    assertEquals(List.of("https://chat.example.com"), c.http().allowedOrigins());
    assertEquals(false, c.auth().registrationOpen());
    assertEquals("me", c.auth().jwt().issuer());
    assertEquals(true, c.e2e().defaultEncryptedPrivate());
  }

  @Test
  void unknownKeysAreRefused() {
    refused("{\"bogus\":1}", "bogus");
    refused("{\"http\":{\"prt\":8080}}", "http.prt");
    refused("{\"auth\":{\"jwt\":{\"secret\":\"x\"}}}", "auth.jwt.secret");
    refused("{\"e2e\":{\"defaultEncrypted\":{\"public\":true}}}", "e2e.defaultEncrypted.public");
  }

  @Test
  void aSectionMustBeAnObject() {
    refused("{\"http\":5}", "http");
    refused("{\"auth\":{\"jwt\":\"sealroom\"}}", "auth.jwt");
    refused("{\"e2e\":{\"defaultEncrypted\":[]}}", "e2e.defaultEncrypted");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"http\":{\"port\":\"8080\"}}|http.port",
      "{\"http\":{\"port\":8080.5}}|http.port",
      "{\"http\":{\"port\":true}}|http.port",
      "{\"e2e\":{\"enabled\":1}}|e2e.enabled",
      "{\"e2e\":{\"enabled\":\"true\"}}|e2e.enabled",
      "{\"http\":{\"host\":1}}|http.host",
      "{\"http\":{\"allowedOrigins\":{}}}|http.allowedOrigins",
      "{\"http\":{\"allowedOrigins\":\"https://a.example\"}}|http.allowedOrigins",
      "{\"cluster\":{\"members\":[\"a\",1]}}|cluster.members",
      "{\"http\":{\"allowedOrigins\":[null]}}|http.allowedOrigins",
      "{\"auth\":{\"registration\":true}}|auth.registration",
      "{\"mongo\":{\"uri\":null}}|mongo.uri"})
  void wrongTypesAreRefusedNamingTheKey(String json, String key) {
    refused(json, key);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"http\":{\"port\":-1}}|http.port",
      "{\"http\":{\"port\":65536}}|http.port",
      "{\"auth\":{\"jwt\":{\"ttlSeconds\":59}}}|auth.jwt.ttlSeconds",
      "{\"auth\":{\"jwt\":{\"ttlSeconds\":100000000000}}}|auth.jwt.ttlSeconds",
      "{\"ws\":{\"maxFrameBytes\":1023}}|ws.maxFrameBytes",
      "{\"e2e\":{\"minRsaBits\":16385}}|e2e.minRsaBits",
      "{\"auth\":{\"loginRate\":{\"perUsername\":0}}}|auth.loginRate.perUsername"})
  void outOfRangeValuesAreRefusedNamingTheKey(String json, String key) {
    assertTrue(refused(json, key).getMessage().contains("between"));
  }

  @Test
  void rangeBoundsThemselvesAreAccepted() {
    assertEquals(0, load("{\"http\":{\"port\":0}}").http().port());
    assertEquals(65535, load("{\"http\":{\"port\":65535}}").http().port());
  }

  @Test
  void aChoiceOutsideItsListIsRefused() {
    refused("{\"auth\":{\"registration\":\"maybe\"}}", "auth.registration");
    refused("{\"auth\":{\"registration\":\"OPEN\"}}", "auth.registration");
    refused("{}", Map.of("SEALROOM_AUTH_REGISTRATION", "invite"), "auth.registration");
  }

  @Test
  void environmentOverridesTheFile() {
    Config c = ConfigLoader.load(new JsonObject("{\"http\":{\"port\":9090}}"), Map.of(
        "SEALROOM_HTTP_PORT", "8081",
        "SEALROOM_STORE_DATADIR", "mem:",
        "SEALROOM_E2E_MINKDFITERATIONS", "1000",
        "SEALROOM_E2E_DEFAULTENCRYPTED_DIRECT", "true",
        "SEALROOM_AUTH_REGISTRATION", "closed",
        "SEALROOM_MONGO_URI", "mongodb://db:27017",
        "PATH", "/usr/bin",
        "SEALROOMX", "ignored"));
    assertEquals(8081, c.http().port());
    assertEquals("mem:", c.store().dataDir());
    assertEquals(1000, c.e2e().minKdfIterations());
    assertEquals(true, c.e2e().defaultEncryptedDirect());
    assertEquals(false, c.auth().registrationOpen());
    assertEquals("mongodb://db:27017", c.mongo().uri());
  }

  @Test
  void aListComesFromACommaSeparatedVariable() {
    Config c = ConfigLoader.load(new JsonObject(), Map.of(
        "SEALROOM_HTTP_ALLOWEDORIGINS", "https://a.example, https://b.example:8443,",
        "SEALROOM_CLUSTER_MEMBERS", "10.0.0.1:15701,10.0.0.2"));
    assertEquals(List.of("https://a.example", "https://b.example:8443"), c.http().allowedOrigins());
    assertEquals(List.of("10.0.0.1:15701", "10.0.0.2"), c.cluster().members());
  }

  @Test
  void badEnvironmentValuesAreRefusedNamingTheKey() {
    refused("{}", Map.of("SEALROOM_HTTP_PORT", "abc"), "http.port");
    refused("{}", Map.of("SEALROOM_HTTP_PORT", "70000"), "http.port");
    refused("{}", Map.of("SEALROOM_HTTP_PORT", ""), "http.port");
    refused("{}", Map.of("SEALROOM_E2E_ENABLED", "yes"), "e2e.enabled");
    refused("{}", Map.of("SEALROOM_HTTP_ALLOWEDORIGINS", "chat.example.com"), "http.allowedOrigins");
  }

  @Test
  void anUnknownSealroomVariableIsRefused() {
    refused("{}", Map.of("SEALROOM_HTTP_PROT", "8081"), "SEALROOM_HTTP_PROT");
    refused("{}", Map.of("SEALROOM_HTTP", "x"), "SEALROOM_HTTP");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"http\":{\"allowedOrigins\":[\"chat.example.com\"]}}|http.allowedOrigins",
      "{\"http\":{\"allowedOrigins\":[\"https://chat.example.com/\"]}}|http.allowedOrigins",
      "{\"http\":{\"allowedOrigins\":[\"ftp://chat.example.com\"]}}|http.allowedOrigins",
      "{\"http\":{\"allowedOrigins\":[\"https://ok.example\",\"\"]}}|http.allowedOrigins",
      "{\"mongo\":{\"uri\":\"http://db:27017\"}}|mongo.uri",
      "{\"mongo\":{\"uri\":\"db:27017\"}}|mongo.uri",
      "{\"mongo\":{\"database\":\"\"}}|mongo.database",
      "{\"mongo\":{\"database\":\"a b\"}}|mongo.database",
      "{\"auth\":{\"jwt\":{\"issuer\":\"\"}}}|auth.jwt.issuer",
      "{\"auth\":{\"jwt\":{\"issuer\":\"   \"}}}|auth.jwt.issuer",
      "{\"http\":{\"host\":\"\"}}|http.host",
      "{\"store\":{\"dataDir\":\"\"}}|store.dataDir",
      "{\"auth\":{\"argon2\":{\"memoryKb\":8,\"parallelism\":2}}}|auth.argon2.memoryKb",
      "{\"cluster\":{\"enabled\":true}}|cluster.enabled",
      "{\"cluster\":{\"host\":\"0.0.0.0\"}}|cluster.host",
      "{\"cluster\":{\"host\":\"\"}}|cluster.host",
      "{\"cluster\":{\"members\":[\"127.0.0.1:15701-15710\"]}}|cluster.members",
      "{\"cluster\":{\"members\":[\"node2:70000\"]}}|cluster.members",
      "{\"cluster\":{\"members\":[\"\"]}}|cluster.members",
      "{\"cluster\":{\"name\":\"a b\"}}|cluster.name",
      "{\"cluster\":{\"name\":\"\"}}|cluster.name"})
  void crossKeyChecksNameTheKey(String json, String key) {
    refused(json, key);
  }

  @Test
  void aClusteredNodeWithASharedStoreIsAccepted() {
    Config c = load("{\"mongo\":{\"uri\":\"mongodb://db\"},\"cluster\":{\"enabled\":true,\"host\":\"node1\","
        + "\"members\":[\"node2\",\"node3:15701\"],\"name\":\"prod-1\"}}");
    assertEquals(List.of("node2", "node3:15701"), c.cluster().members());
    assertEquals("prod-1", c.cluster().name());
  }

  @Test
  void srvUrisAndAnExternalStoreWithoutDataDirAreAccepted() {
    assertEquals("mongodb+srv://cluster.example.com", load("{\"mongo\":{\"uri\":\"mongodb+srv://cluster.example.com\"}}")
        .mongo().uri());
    assertEquals("", load("{\"mongo\":{\"uri\":\"mongodb://db\"},\"store\":{\"dataDir\":\"\"}}").store().dataDir());
  }

  @Test
  void aFileThatIsNotAJsonObjectIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"http\": {", StandardCharsets.UTF_8);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad, Map.of()));
    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    Path missing = dir.resolve("missing.json");
    ConfigException m = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));
    assertTrue(m.getMessage().startsWith(missing.toString()), m.getMessage());
  }

  @Test
  void everySchemaKeyHasItsEnvironmentName() {
    for (ConfigKey k : ConfigSchema.KEYS) {
      assertEquals("SEALROOM_" + k.path().replace('.', '_').toUpperCase(java.util.Locale.ROOT), k.envName());
    }
    assertEquals("SEALROOM_E2E_DEFAULTENCRYPTED_PRIVATE", ConfigSchema.get("e2e.defaultEncrypted.private").envName());
  }
}
