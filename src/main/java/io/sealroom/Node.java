package io.sealroom;

import io.sealroom.auth.AuthService;
import io.sealroom.auth.SessionGuard;
import io.sealroom.common.Addresses;
import io.sealroom.keys.KeyService;
import io.sealroom.rooms.RoomKeyService;
import io.sealroom.store.MongoKeyStore;
import io.sealroom.store.MongoRoomKeyStore;
import io.sealroom.auth.JwtKeys;
import io.sealroom.auth.TokenService;
import io.sealroom.config.Config;
import io.sealroom.config.ConfigException;
import io.sealroom.gateway.BusPublisher;
import io.sealroom.gateway.FrameCodecs;
import io.sealroom.gateway.GatewayMetrics;
import io.sealroom.gateway.GatewayVerticle;
import io.sealroom.gateway.Services;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomService;
import io.sealroom.store.Durability;
import io.sealroom.store.EmbeddedMongo;
import io.sealroom.store.GroupCommit;
import io.sealroom.store.Indexes;
import io.sealroom.store.MongoMessageStore;
import io.sealroom.store.MongoRoomStore;
import io.sealroom.store.MongoUserStore;
import io.sealroom.cluster.ClusterSetup;
import io.sealroom.cluster.ClusterView;
import io.sealroom.limits.HazelcastLimits;
import io.sealroom.limits.Limits;
import io.sealroom.store.SharedSecrets;
import io.sealroom.store.StoreProbe;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One running Sealroom node: Vert.x, the store (embedded or external MongoDB), the services and
 * one gateway verticle per event loop. {@link #start} blocks the calling thread (never an event
 * loop) until the node serves; {@link #stop} closes everything, committing the embedded store.
 */
public final class Node {
  private static final long START_TIMEOUT_S = 60;
  private static final String JWT_FILE = "jwt-es256.pem";
  private static final String JWT_SETTING = "jwt-es256";

  private final Vertx vertx;
  private final EmbeddedMongo embedded;
  private final MongoClient mongo;
  private final int port;

  private Node(Vertx vertx, EmbeddedMongo embedded, MongoClient mongo, int port) {
    this.vertx = vertx;
    this.embedded = embedded;
    this.mongo = mongo;
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public static Node start(Config config) throws Exception {
    String registryName = "sealroom-" + io.sealroom.common.Ids.newId();
    HazelcastClusterManager cluster = config.cluster().enabled() ? ClusterSetup.clusterManager(config.cluster()) : null;
    Vertx vertx = createVertx(config, registryName, cluster);
    EmbeddedMongo embedded = null;
    try {
      String uri = config.mongo().uri();
      if (config.mongo().embedded()) {
        embedded = EmbeddedMongo.start(config.store().dataDir());
        uri = embedded.connectionString();
      }
      MongoClient mongo = MongoClient.createShared(vertx,
          new JsonObject().put("connection_string", uri).put("db_name", config.mongo().database()), "sealroom");
      // the store process (sealroom.jar store) is the embedded server too: it gets the same index set
      boolean embeddedServer = embedded != null
          || StoreProbe.isStoreProcess(mongo).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      Indexes.ensure(mongo, embeddedServer).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      Services services = services(vertx, config, mongo, embedded, registryName, cluster);
      int port = deployGateways(vertx, services, config);
      if (cluster != null) {
        services.metrics().clusterMembers(() -> cluster.getHazelcastInstance().getLifecycleService().isRunning()
            ? cluster.getHazelcastInstance().getCluster().getMembers().size() : 0);
        // a member that died may have stored messages it never got to publish: subscribers catch up from the store
        cluster.getHazelcastInstance().getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
          @Override
          public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
          }

          @Override
          public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
            vertx.eventBus().publish(Addresses.MEMBER_LEFT, e.getMember().getUuid().toString(),
                new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
          }
        });
      }
      return new Node(vertx, embedded, mongo, port);
    } catch (Exception e) {
      vertx.close();
      if (embedded != null) {
        embedded.stop();
      }
      throw e;
    }
  }

  private static Vertx createVertx(Config config, String registryName, HazelcastClusterManager cluster)
      throws Exception {
    // native epoll where the platform has it (Linux x86_64): fewer system calls and less garbage per write
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    if (cluster != null) {
      options.setEventBusOptions(ClusterSetup.eventBusOptions(config.cluster()));
    }
    boolean metrics = config.metrics().enabled();
    if (metrics) {
      // a registry of its own: several nodes in one JVM (tests, embedding) must not share meters
      // no event-bus meters: every room and user has its own address, and a meter per address would
      // grow without bound and cost a registry lookup per message (sealroom_messages_* count them)
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setRegistryName(registryName)
          .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          .setJvmMetricsEnabled(true)
          .setEnabled(true));
    }
    VertxBuilder builder = Vertx.builder().with(options);
    if (metrics) {
      builder.withMetrics(new MicrometerMetricsFactory());
    }
    if (cluster == null) {
      return builder.build();
    }
    return builder.withClusterManager(cluster).buildClustered().await(START_TIMEOUT_S, TimeUnit.SECONDS);
  }

  private static Services services(Vertx vertx, Config config, MongoClient mongo, EmbeddedMongo embedded,
      String registryName, HazelcastClusterManager cluster) throws Exception {
    // counted per user and address on every node alike when clustered
    Limits limits = cluster == null ? Limits.local() : new HazelcastLimits(cluster.getHazelcastInstance(), vertx);
    FrameCodecs.register(vertx.eventBus());
    BusPublisher publisher = new BusPublisher(vertx.eventBus());
    // an external store acknowledges durable writes: MongoDB per the URI's write concern, the
    // store process because it commits before it replies
    Durability durability = embedded != null && embedded.persistent()
        ? new GroupCommit(vertx, embedded::commit) : Durability.immediate();
    MongoUserStore users = new MongoUserStore(mongo);
    MongoRoomStore roomStore = new MongoRoomStore(mongo);
    TokenService tokens = new TokenService(vertx, jwtKeys(config, mongo), config.auth().jwt());
    AuthService auth = new AuthService(vertx, users, tokens, config.auth(), limits);
    SessionGuard sessions = new SessionGuard(users, publisher::sessionsEnded);
    vertx.eventBus().<JsonObject>consumer(Addresses.SESSIONS,
        m -> sessions.ended(m.body().getString("uid"), new io.sealroom.users.UserStore.SessionCutoff(
            m.body().getLong("validAfter"), m.body().getString("keepSid", ""))));
    RoomService rooms = new RoomService(roomStore, users, config.e2e(), publisher);
    KeyService keys = new KeyService(new MongoKeyStore(mongo), users, config.e2e());
    RoomKeyService roomKeys = new RoomKeyService(roomStore, new MongoRoomKeyStore(mongo), keys, rooms, publisher);
    keys.onKeysCreated(roomKeys::userCanReceiveKeys);
    rooms.onMemberAdded(roomKeys::notifyWaiting);
    MessageService messages = new MessageService(vertx, new MongoMessageStore(mongo), roomStore, rooms, durability,
        publisher, config.e2e().allowUnencryptedMessages());
    publisher.onRoomChange(messages::roomChanged);
    vertx.eventBus().<String>consumer(Addresses.ROOM_CHANGES, m -> messages.roomChanged(m.body()));
    GatewayMetrics metrics = config.metrics().enabled()
        ? new GatewayMetrics(BackendRegistries.getNow(registryName), registryName) : new GatewayMetrics(null, null);
    return new Services(config, auth, tokens, sessions, users, rooms, messages, keys, roomKeys,
        () -> mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty(), metrics,
        Services.sendBudget(limits, config.ws().sendRatePerSecond()), () -> ClusterView.of(config.cluster(), cluster));
  }

  private static JwtKeys jwtKeys(Config config, MongoClient mongo) throws Exception {
    String keyFile = config.auth().jwt().keyFile();
    if (!keyFile.isEmpty()) {
      try {
        return JwtKeys.loadOrCreate(Path.of(keyFile));
      } catch (java.security.GeneralSecurityException e) {
        throw new ConfigException("auth.jwt.keyFile", e.getMessage());
      }
    }
    if (config.cluster().enabled()) {
      // a token from one node must be good on every node: one key, kept in the shared store
      String pem = new SharedSecrets(mongo).getOrCreate(JWT_SETTING, () -> {
        try {
          JwtKeys k = JwtKeys.generate();
          return k.privatePem() + k.publicPem();
        } catch (java.security.GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      try {
        return JwtKeys.parse(pem);
      } catch (java.security.GeneralSecurityException e) {
        throw new ConfigException("auth.jwt.keyFile", "the signing key in the store (settings " + JWT_SETTING
            + ") is damaged: " + e.getMessage());
      }
    }
    if (config.store().inMemory()) {
      return JwtKeys.generate(); // nothing persists in memory mode, tokens included
    }
    try {
      return JwtKeys.loadOrCreate(Path.of(config.store().dataDir(), JWT_FILE));
    } catch (java.security.GeneralSecurityException e) {
      throw new ConfigException("store.dataDir", JWT_FILE + " is damaged (" + e.getMessage()
          + "): restore it, or delete it to sign new tokens (existing ones stop working)");
    }
  }

  private static int deployGateways(Vertx vertx, Services services, Config config) throws Exception {
    int instances = config.http().instances() > 0 ? config.http().instances()
        : Math.max(1, Runtime.getRuntime().availableProcessors());
    // every instance must share one port: for port 0, pick a free one first
    int port = config.http().port() != 0 ? config.http().port() : freePort(config.http().host());
    for (int i = 0; i < instances; i++) {
      vertx.deployVerticle(new GatewayVerticle(services, port)).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
    return port;
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  /** Closes the node; the embedded store commits and closes its file. Blocking. */
  public void stop() {
    try {
      mongo.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    if (embedded != null) {
      embedded.stop();
    }
  }
}
