package io.sealroom.config;

import java.util.List;
import java.util.Map;

/**
 * The validated configuration as typed records. Built only by {@link ConfigLoader}; every
 * value here has passed the schema's type and range checks, and the cross-key checks below.
 */
public record Config(Http http, Mongo mongo, Store store, Auth auth, E2e e2e, Ws ws,
    Cluster cluster, Metrics metrics, Log log, Files files) {

  /**
   * Files: the largest upload, each user's quota, how long an upload may stay unattached, and
   * where the embedded store keeps the bytes ({@code dir} empty: files/ under store.dataDir).
   */
  public record Files(long maxBytes, long quotaBytes, int orphanTtlSeconds, String dir) {
  }

  /** HTTP and WebSocket listener. */
  public record Http(String host, int port, List<String> allowedOrigins, int instances, int headersTimeoutMs,
      int requestTimeoutMs, int idleTimeoutMs, List<String> trustedProxies) {
  }

  /** External MongoDB; {@code uri} empty means the embedded store. */
  public record Mongo(String uri, String database) {
    public boolean embedded() {
      return uri.isEmpty();
    }
  }

  /** Embedded store location; "mem:" keeps everything in memory. */
  public record Store(String dataDir, int cacheMb, String backupDir, int opTimeoutMs) {
    public boolean inMemory() {
      return "mem:".equals(dataDir);
    }
  }

  /** Accounts, tokens and password hashing. */
  public record Auth(boolean registrationOpen, List<String> admins, Jwt jwt, Argon2 argon2, LoginRate loginRate,
      int registrationsPerAddress) {
    public boolean isAdmin(String username) {
      return admins.contains(username);
    }
  }

  /** Token issuing. keyFile empty: generated under the data directory. */
  public record Jwt(String issuer, int ttlSeconds, String keyFile) {
  }

  /** Argon2id cost parameters for new password hashes. */
  public record Argon2(int memoryKb, int iterations, int parallelism) {
  }

  /** Login attempts per minute. */
  public record LoginRate(int perUsername, int perAddress, int successPerAccount) {
  }

  /** End-to-end encryption policy. */
  public record E2e(boolean enabled, boolean allowUnencryptedMessages, boolean defaultEncryptedPrivate,
      boolean defaultEncryptedDirect, int minRsaBits, int minKdfIterations, boolean allowDisable) {
  }

  /** WebSocket limits. */
  public record Ws(int authTimeoutMs, int maxFrameBytes, int maxQueuedBytes, int sendRatePerSecond, int closeTimeoutMs,
      int maxPendingControlFrames) {
  }

  /** Clustered event bus. */
  public record Cluster(boolean enabled, String host, int port, List<String> members, String name) {
    /** Hazelcast takes the first free port of this many from {@link #port()}. */
    public static final int PORT_COUNT = 10;
  }

  /** Prometheus endpoint. */
  public record Log(boolean json) {
  }

  public record Metrics(boolean enabled) {
  }

  static Config from(Map<String, Object> v) {
    Config c = new Config(
        new Http(str(v, "http.host"), num(v, "http.port"), list(v, "http.allowedOrigins"), num(v, "http.instances"),
            num(v, "http.headersTimeoutMs"), num(v, "http.requestTimeoutMs"), num(v, "http.idleTimeoutMs"),
            list(v, "http.trustedProxies")),
        new Mongo(str(v, "mongo.uri"), str(v, "mongo.database")),
        new Store(str(v, "store.dataDir"), num(v, "store.cacheMb"), str(v, "store.backupDir"), num(v, "store.opTimeoutMs")),
        new Auth("open".equals(str(v, "auth.registration")), list(v, "auth.admins"),
            new Jwt(str(v, "auth.jwt.issuer"), num(v, "auth.jwt.ttlSeconds"), str(v, "auth.jwt.keyFile")),
            new Argon2(num(v, "auth.argon2.memoryKb"), num(v, "auth.argon2.iterations"), num(v, "auth.argon2.parallelism")),
            new LoginRate(num(v, "auth.loginRate.perUsername"), num(v, "auth.loginRate.perAddress"),
                num(v, "auth.loginRate.successPerAccount")),
            num(v, "auth.registrationRate.perAddress")),
        new E2e(bool(v, "e2e.enabled"), bool(v, "e2e.allowUnencryptedMessages"),
            bool(v, "e2e.defaultEncrypted.private"), bool(v, "e2e.defaultEncrypted.direct"),
            num(v, "e2e.minRsaBits"), num(v, "e2e.minKdfIterations"), bool(v, "e2e.allowDisable")),
        new Ws(num(v, "ws.authTimeoutMs"), num(v, "ws.maxFrameBytes"), num(v, "ws.maxQueuedBytes"),
            num(v, "ws.sendRatePerSecond"), num(v, "ws.closeTimeoutMs"), num(v, "ws.maxPendingControlFrames")),
        new Cluster(bool(v, "cluster.enabled"), str(v, "cluster.host"), num(v, "cluster.port"), list(v, "cluster.members"),
            str(v, "cluster.name")),
        new Metrics(bool(v, "metrics.enabled")), new Log("json".equals(str(v, "log.format"))),
        new Files(big(v, "files.maxBytes"), big(v, "files.quotaBytes"), num(v, "files.orphanTtlSeconds"),
            str(v, "files.dir")));
    c.crossCheck();
    return c;
  }

  private void crossCheck() {
    if (http.host().isBlank()) {
      throw new ConfigException("http.host", "must not be empty");
    }
    for (String p : http.trustedProxies()) {
      try {
        io.sealroom.common.ClientAddress.checkRange(p);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("http.trustedProxies", e.getMessage());
      }
    }
    for (String o : http.allowedOrigins()) {
      if (!o.matches("https?://[^/\\s]+")) {
        throw new ConfigException("http.allowedOrigins", "\"" + o + "\" is not an origin like https://chat.example.com");
      }
    }
    if (mongo.database().isBlank() || !mongo.database().matches("[A-Za-z0-9_-]+")) {
      throw new ConfigException("mongo.database", "must be a non-empty name of letters, digits, _ and -");
    }
    if (!mongo.uri().isEmpty() && !mongo.uri().matches("mongodb(\\+srv)?://.+")) {
      throw new ConfigException("mongo.uri", "must start with mongodb:// or mongodb+srv://");
    }
    if (mongo.embedded() && store.dataDir().isBlank()) {
      throw new ConfigException("store.dataDir", "must not be empty (use \"mem:\" for memory)");
    }
    if (auth.jwt().issuer().isBlank()) {
      throw new ConfigException("auth.jwt.issuer", "must not be empty");
    }
    checkCluster();
    if (auth.argon2().memoryKb() < 8 * auth.argon2().parallelism()) {
      throw new ConfigException("auth.argon2.memoryKb", "must be at least 8 x auth.argon2.parallelism");
    }
  }

  private void checkCluster() {
    if (!cluster.name().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException("cluster.name", "must be 1-64 letters, digits, '.', '_' or '-'");
    }
    String host = cluster.host();
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.matches(".*[\\s/].*")) {
      throw new ConfigException("cluster.host", "must be one address or host name of this machine (not a wildcard)");
    }
    for (String m : cluster.members()) {
      if (!m.matches("[A-Za-z0-9._-]+(:[0-9]{1,5})?") || m.contains(":") && !validPort(m.substring(m.indexOf(':') + 1))) {
        throw new ConfigException("cluster.members", "\"" + m + "\" is not host or host:port (no port ranges)");
      }
    }
    if (cluster.enabled() && mongo.embedded()) {
      throw new ConfigException("cluster.enabled", "a cluster needs one store shared by every node: set mongo.uri"
          + " (real MongoDB, or the project's store process: java -jar sealroom.jar store)");
    }
  }

  private static boolean validPort(String p) {
    int n = Integer.parseInt(p);
    return n >= 1 && n <= 65535;
  }

  private static String str(Map<String, Object> v, String k) {
    return (String) v.get(k);
  }

  private static long big(Map<String, Object> v, String k) {
    return ((Number) v.get(k)).longValue();
  }

  private static int num(Map<String, Object> v, String k) {
    return Math.toIntExact(((Number) v.get(k)).longValue());
  }

  private static boolean bool(Map<String, Object> v, String k) {
    return (Boolean) v.get(k);
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Map<String, Object> v, String k) {
    return (List<String>) v.get(k);
  }
}
