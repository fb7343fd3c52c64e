package io.sealroom.config;

import static io.sealroom.config.ConfigKey.bool;
import static io.sealroom.config.ConfigKey.choice;
import static io.sealroom.config.ConfigKey.integer;
import static io.sealroom.config.ConfigKey.list;
import static io.sealroom.config.ConfigKey.string;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key Sealroom knows, in documentation order. */
public final class ConfigSchema {
  private static final long INT_MAX = Integer.MAX_VALUE;

  public static final List<ConfigKey> KEYS = List.of(
      string("http.host", "0.0.0.0", "Address the HTTP and WebSocket listener binds to."),
      integer("http.port", 8080, 0, 65535, "Port of the HTTP and WebSocket listener; 0 picks a free port (printed at start)."),
      list("http.allowedOrigins", List.of(), "Origins (scheme://host[:port]) allowed to open /ws besides the server's own origin. Requests without an Origin header (bots, SDK) are allowed."),
      integer("http.instances", 0, 0, 64, "Gateway verticle instances (one per event loop); 0 = one per CPU core."),
      integer("http.headersTimeoutMs", 10_000, 100, 600_000, "Time a new connection has to send its first request's line and headers; after it the connection is closed."),
      integer("http.requestTimeoutMs", 30_000, 100, 3_600_000, "Time a request has from its headers to its answer; after it the answer is 408 invalid_request and the connection is closed."),
      integer("http.idleTimeoutMs", 60_000, 100, 3_600_000, "Time a kept-alive HTTP connection has from the end of a response until the next request's headers; after it the connection is closed (WebSockets are not idle-timed: they have ws.authTimeoutMs and the slow-reader limits)."),
      list("http.trustedProxies", List.of(), "Addresses (IPv4/IPv6, or CIDR ranges like 10.0.0.0/8) of reverse proxies whose X-Forwarded-For is believed. The client address (rate limits per address, the security log) is the right-most X-Forwarded-For entry that is not a trusted proxy; from any other peer the header is ignored."),
      string("mongo.uri", "", "MongoDB connection string (the mongodb engine: a replica set, shared by the nodes of a cluster). Empty = the embedded RocksDB store under store.dataDir (the rocksdb engine, one node)."),
      string("mongo.database", "sealroom", "Database name."),
      string("store.dataDir", "data", "Directory of the embedded store's files (RocksDB, under db/) and the generated JWT key; \"mem:\" keeps everything in memory. One node per directory."),
      integer("store.cacheMb", 128, 8, 1_048_576, "Memory of the embedded store in MB: its block cache, with its memtables charged to it."),
      integer("store.opTimeoutMs", 5000, 100, 600_000, "Longest a request waits for a store operation; after it the request answers 503 unavailable (a send that was not acknowledged may be retried with its cid)."),
      string("store.backupDir", "", "Where POST /api/v1/admin/backups puts online backups of the embedded store. Empty = backups/ under store.dataDir."),
      choice("auth.registration", "open", List.of("open", "closed"), "Whether anyone may register (open) or not (closed: 403 registration_closed)."),
      list("auth.admins", List.of(), "Usernames that get the admin role (at login, and on every admin route)."),
      string("auth.jwt.issuer", "sealroom", "The iss claim of issued tokens; tokens with another issuer are refused."),
      integer("auth.jwt.ttlSeconds", 86400, 60, 31_536_000, "Lifetime of a login token in seconds."),
      string("auth.jwt.keyFile", "", "PEM file with the ES256 (P-256) signing key (PKCS#8 PRIVATE KEY, optionally followed by its PUBLIC KEY). Empty = generated once and kept under store.dataDir."),
      integer("auth.argon2.memoryKb", 19456, 8, 4_194_304, "Argon2id memory cost in KiB for password hashes."),
      integer("auth.argon2.iterations", 2, 1, 100, "Argon2id time cost (passes)."),
      integer("auth.argon2.parallelism", 1, 1, 16, "Argon2id lanes."),
      integer("auth.loginRate.perUsername", 10, 1, INT_MAX, "Failed logins allowed per username per minute; beyond it every login for that username answers 429 rate_limited until the minute passes."),
      integer("auth.loginRate.successPerAccount", 20, 1, INT_MAX, "Successful logins allowed per account per minute; beyond it a login for that account answers 429 rate_limited until the minute passes (each login costs a password hash)."),
      integer("auth.registrationRate.perAddress", 10, 1, INT_MAX, "Registrations allowed per client address per minute (successful or not); beyond it registration from that address answers 429 rate_limited until the minute passes."),
      integer("auth.loginRate.perAddress", 30, 1, INT_MAX, "Failed logins allowed per client address per minute; beyond it every login from that address answers 429 rate_limited until the minute passes."),
      bool("e2e.enabled", true, "Whether end-to-end encryption is offered. false: E2E routes and encrypted rooms answer 403 e2e_disabled."),
      bool("e2e.allowUnencryptedMessages", false, "Whether plain-text messages are accepted in encrypted rooms."),
      bool("e2e.allowDisable", false, "Whether owners may turn encryption off in an encrypted room. false: it is refused with 403 encryption_required (no silent downgrade)."),
      bool("e2e.defaultEncrypted.private", false, "Private groups are created encrypted unless the request says otherwise."),
      bool("e2e.defaultEncrypted.direct", false, "Direct messages are created encrypted unless the request says otherwise."),
      integer("e2e.minRsaBits", 2048, 1024, 16384, "Smallest accepted RSA modulus of a user's public key."),
      integer("e2e.minKdfIterations", 600_000, 1, 10_000_000, "Smallest accepted PBKDF2 iteration count of a wrapped private key."),
      integer("ws.authTimeoutMs", 10_000, 100, 600_000, "Time a new WebSocket has to send its auth frame before it is closed with 4001."),
      integer("ws.maxFrameBytes", 65_536, 1024, 16_777_216, "Largest WebSocket message accepted; larger ones close the socket with 1009."),
      integer("ws.maxQueuedBytes", 1_048_576, 4096, 1_073_741_824, "Outbound bytes a connection may have queued; beyond it the connection is closed with 4008."),
      integer("ws.closeTimeoutMs", 2000, 100, 60_000, "After the server closes a WebSocket (any close code), time the peer has to complete the closing handshake; then the TCP connection is dropped, whatever is still queued for it."),
      integer("ws.maxPendingControlFrames", 16, 1, 10_000, "Pings a connection may send while the pong to an earlier one is still unsent (it does not read); the pong answers the latest. Beyond it the connection is closed with 1008 and dropped."),
      integer("ws.sendRatePerSecond", 100, 0, 1_000_000, "Messages a user may send per second over all their connections and REST, on every node, sustained, with bursts of up to ten seconds' worth; 0 = unlimited. Over it a send is refused (error rate_limited, REST 429); as many refusals in one second on one socket as the rate closes it with 4029."),
      bool("cluster.enabled", false, "Start clustered: a Hazelcast event bus shared with the other nodes (needs mongo.uri: every node uses the same store)."),
      string("cluster.host", "127.0.0.1", "Address the cluster transports (Hazelcast and the event bus) bind to and other nodes reach this one at; never a wildcard."),
      integer("cluster.port", 15701, 1, 65535, "First Hazelcast port: the node takes the first free one of the ten from here."),
      list("cluster.members", List.of(), "Members to join over TCP/IP, as host (tried on cluster.port and the nine after it) or host:port; may include this node. Multicast and auto-detection are off."),
      string("cluster.name", "sealroom", "Cluster name: nodes join only members with the same name."),
      integer("files.maxBytes", 104_857_600L, 1, 1L << 40, "Largest file upload in bytes (in an encrypted room, of the ciphertext: 16 bytes per 64 KiB more than the file); past it the upload answers 413 too_large while it streams, and nothing is kept."),
      integer("files.quotaBytes", 1_073_741_824L, 0, 1L << 50, "Bytes of files each user may have stored (uploads under way count); past it an upload answers 413 quota_exceeded while it streams, and nothing is kept."),
      integer("files.orphanTtlSeconds", 86_400, 1, 31_536_000, "Seconds an uploaded file may stay unattached to a message; after it the file is deleted (checked every orphanTtlSeconds/4, at least every 10 minutes)."),
      string("files.dir", "", "Directory of the embedded store's file bytes. Empty = files/ under store.dataDir (a temporary directory when store.dataDir is \"mem:\"). Not used with mongo.uri (files are in GridFS)."),
      bool("metrics.enabled", true, "Expose Prometheus metrics at GET /metrics."),
      choice("log.format", "text", List.of("text", "json"), "Format of the log on standard error: text lines, or one JSON object per line (security events carry their fields as JSON fields)."));

  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    for (ConfigKey k : KEYS) {
      BY_PATH.put(k.path(), k);
    }
  }

  private ConfigSchema() {
  }

  public static ConfigKey get(String path) {
    return BY_PATH.get(path);
  }
}
