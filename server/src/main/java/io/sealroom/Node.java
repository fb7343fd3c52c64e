package io.sealroom;

import io.sealroom.auth.AuthService;
import io.sealroom.auth.JwtKeys;
import io.sealroom.auth.SessionGuard;
import io.sealroom.auth.TokenService;
import io.sealroom.cluster.ClusterSetup;
import io.sealroom.cluster.ClusterView;
import io.sealroom.common.Addresses;
import io.sealroom.config.Config;
import io.sealroom.config.ConfigException;
import io.sealroom.gateway.Authenticator;
import io.sealroom.gateway.BusPublisher;
import io.sealroom.gateway.E2eDeps;
import io.sealroom.gateway.FrameCodecs;
import io.sealroom.gateway.GatewayMetrics;
import io.sealroom.gateway.GatewayVerticle;
import io.sealroom.gateway.HealthCheck;
import io.sealroom.gateway.RestDeps;
import io.sealroom.gateway.SendLimiter;
import io.sealroom.gateway.WsDeps;
import io.sealroom.keys.KeyEvents;
import io.sealroom.keys.KeyService;
import io.sealroom.kt.KtMetrics;
import io.sealroom.kt.KtService;
import io.sealroom.kt.LogKey;
import io.sealroom.limits.HazelcastLimits;
import io.sealroom.limits.Limits;
import io.sealroom.messages.MessageService;
import io.sealroom.rooms.RoomKeyService;
import io.sealroom.rooms.RoomService;
import io.sealroom.store.rocksdb.Backups;
import io.sealroom.store.mongo.Indexes;
import io.sealroom.store.migrate.LegacyUpgrade;
import io.sealroom.store.mongo.MongoConfig;
import io.sealroom.store.mongo.MongoStores;
import io.sealroom.store.mongo.SharedSecrets;
import io.sealroom.store.mongo.StoreProbe;
import io.sealroom.store.FileModes;
import io.sealroom.store.StoreDeadline;
import io.sealroom.files.FileMetrics;
import io.sealroom.files.FileService;
import io.sealroom.store.Stores;
import io.sealroom.store.TimedStores;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.store.rocksdb.StoreLockedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One running Sealroom node: Vert.x, the store (the embedded RocksDB engine, or MongoDB when
 * {@code mongo.uri} is set), the services and one gateway verticle per event loop.
 * {@link #start} blocks the calling thread (never an event loop) until the node serves;
 * {@link #stop} closes everything, the store last.
 */
public final class Node {
  private static final long START_TIMEOUT_S = 60;
  /** How long a starting node waits for its MongoDB to answer. */
  private static final long STORE_REACH_S = 30;
  private static final String JWT_SETTING = "jwt-es256";

  private final Vertx vertx;
  private final Stores stores;
  private final int port;

  private Node(Vertx vertx, Stores stores, int port) {
    this.vertx = vertx;
    this.stores = stores;
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public static Node start(Config config) throws Exception {
    io.sealroom.logging.LogSetup.configure(config.log().json());
    String registryName = "sealroom-" + io.sealroom.common.Ids.newId();
    HazelcastClusterManager cluster = config.cluster().enabled() ? ClusterSetup.clusterManager(config.cluster()) : null;
    Vertx vertx = createVertx(config, registryName, cluster);
    Stores stores = null;
    try {
      stores = openStores(vertx, config);
      GatewayDeps gatewayDeps = services(vertx, config, stores, registryName, cluster);
      int port = deployGateways(vertx, gatewayDeps, config);
      if (cluster != null) {
        gatewayDeps.ws().metrics().clusterMembers(() -> cluster.getHazelcastInstance().getLifecycleService().isRunning()
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
      return new Node(vertx, stores, port);
    } catch (Exception e) {
      vertx.close();
      if (stores != null) {
        stores.close();
      }
      throw e;
    }
  }

  /**
   * The configured engine: MongoDB when mongo.uri is set (real MongoDB, or the store process,
   * which gets the embedded server's index set), else RocksDB under dataDir/db, after moving the
   * data of an earlier version's store file into it once.
   */
  public static Stores openStores(Vertx vertx, Config config) throws Exception {
    if (!config.mongo().embedded()) {
      MongoClient mongo = MongoClient.createShared(vertx,
          MongoConfig.client(config.mongo().uri(), config.mongo().database(), config.store().opTimeoutMs()), "sealroom");
      boolean storeProcess = probeUntilReachable(mongo, config.mongo().uri());
      Indexes.ensure(mongo, storeProcess).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      return new MongoStores(mongo);
    }
    if (config.store().inMemory()) {
      return RocksStores.open(vertx, "mem:", config.store().cacheMb(),
          config.files().dir().isEmpty() ? null : Path.of(config.files().dir()));
    }
    Path dir = Path.of(config.store().dataDir());
    FileModes.prepareDataDir(dir); // owner-only, an earlier version's looser directory included
    try {
      LegacyUpgrade.runIfNeeded(vertx, dir, config);
      return RocksStores.open(vertx, dir.resolve(Stores.DB_DIR).toString(), config.store().cacheMb(),
          config.files().dir().isEmpty() ? dir.resolve(Stores.FILES_DIR) : Path.of(config.files().dir()));
    } catch (StoreLockedException e) {
      throw new ConfigException("store.dataDir", e.getMessage());
    }
  }


  /**
   * The store probe, asked again while the store cannot be reached for up to
   * {@link #STORE_REACH_S}: a node may start before its MongoDB, and the driver now gives up on
   * one attempt after store.opTimeoutMs.
   */
  private static boolean probeUntilReachable(MongoClient mongo, String uri) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(STORE_REACH_S);
    boolean told = false;
    while (true) {
      try {
        return StoreProbe.isStoreProcess(mongo).await(START_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (System.nanoTime() - until >= 0) {
          throw e;
        }
        if (!told) {
          java.util.logging.Logger.getLogger(Node.class.getName()).info("waiting for the store at "
              + MongoConfig.redacted(uri) + " (" + e.getMessage() + ")");
          told = true;
        }
        Thread.sleep(250);
      }
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

  /**
   * The services, each told at construction whom it tells what, so that following a reaction
   * from one feature to another means reading constructors:
   * <ul>
   *   <li>keys tell room keys ({@link KeyEvents}) of a user's first keys (members may now hand
   *       them room keys) and of a new key version after a reset (a line in each of their rooms);
   *   <li>rooms tell room keys ({@link io.sealroom.rooms.MembershipEvents}) of a new member
   *       (who may be waiting for the key), record every change in the message service's
   *       timeline, and tell the publisher, which tells the message service first (sends look
   *       at the room again) and then every node and the members;
   *   <li>messages ask keys whether a send's key version is current, and files to attach the
   *       uploads a send names ({@link io.sealroom.messages.Attachments}).
   * </ul>
   * Room keys and messages call back the services that tell them, so they are built last and
   * reached through a {@link Later} until then. The gateway gets them grouped by what uses them:
   * its WebSocket side, its REST routes and its E2E routes.
   */
  private static GatewayDeps services(Vertx vertx, Config config, Stores stores,
      String registryName, HazelcastClusterManager cluster) throws Exception {
    // counted per user and address on every node alike when clustered
    Limits limits = cluster == null ? Limits.local() : new HazelcastLimits(cluster.getHazelcastInstance(), vertx);
    FrameCodecs.register(vertx.eventBus());
    Later<MessageService> messagesLater = new Later<>("the message service");
    Later<RoomKeyService> roomKeysLater = new Later<>("the room key service");
    BusPublisher publisher = new BusPublisher(vertx.eventBus(), rid -> messagesLater.get().roomChanged(rid));
    // every store operation of a request is bounded by store.opTimeoutMs, on either engine
    TimedStores timed = new TimedStores(stores, new StoreDeadline(vertx, config.store().opTimeoutMs()));
    var users = timed.users();
    var roomStore = timed.rooms();
    TokenService tokens = new TokenService(jwtKeys(config, stores), config.auth().jwt());
    AuthService auth = new AuthService(vertx, users, tokens, config.auth(), limits);
    SessionGuard sessions = new SessionGuard(users, publisher::sessionsEnded);
    vertx.eventBus().<JsonObject>consumer(Addresses.SESSIONS,
        m -> sessions.ended(m.body().getString("uid"), new io.sealroom.users.UserStore.SessionCutoff(
            m.body().getLong("validAfter"), m.body().getString("keepSid", ""))));
    KtService kt = keyLog(vertx, config, timed, registryName);
    KeyService keys = new KeyService(timed.keys(), users, config.e2e(), new KeyEvents() {
      @Override
      public Future<Void> keysCreated(String uid) {
        return roomKeysLater.get().keysCreated(uid);
      }

      @Override
      public Future<Void> newVersion(String uid, String ukid) {
        return roomKeysLater.get().newVersion(uid, ukid);
      }
    }, (uid, ukid, createdAt) -> kt.append(uid, ukid, createdAt).mapEmpty());
    RoomService rooms = new RoomService(roomStore, users, config.e2e(), publisher,
        (rid, uid, username, event) -> messagesLater.get().append(rid, uid, username, event),
        room -> roomKeysLater.get().memberAdded(room));
    RoomKeyService roomKeys = new RoomKeyService(roomStore, timed.roomKeys(), keys, rooms, publisher);
    roomKeysLater.set(roomKeys);
    FileService files = new FileService(vertx, timed.files(), roomStore, timed.messages(), config.files(),
        new FileMetrics(config.metrics().enabled() ? BackendRegistries.getNow(registryName) : null));
    files.startSweeping();
    MessageService messages = new MessageService(vertx, timed.messages(), roomStore, rooms,
        publisher, keys::checkCurrent, files, config.e2e().allowUnencryptedMessages(), config.store().opTimeoutMs());
    messagesLater.set(messages);
    // room changes of every node; this node's own reached the message service through the publisher already
    vertx.eventBus().<String>consumer(Addresses.ROOM_CHANGES, m -> messages.roomChanged(m.body()));
    GatewayMetrics metrics = config.metrics().enabled()
        ? new GatewayMetrics(BackendRegistries.getNow(registryName), registryName) : new GatewayMetrics(null, null);
    Authenticator authenticator = new Authenticator(tokens, sessions);
    Limits.Buckets sendBudget = SendLimiter.userBudget(limits, config.ws().sendRatePerSecond());
    HealthCheck health = new HealthCheck(timed::ping, stores.engine(), () -> ClusterView.of(config.cluster(), cluster));
    var clientAddress = new io.sealroom.common.ClientAddress(config.http().trustedProxies());
    var backups = new Backups(vertx, stores, config.store());
    return new GatewayDeps(sessions,
        new WsDeps(config.ws(), authenticator, rooms, messages, sendBudget, metrics),
        new RestDeps(config, authenticator, clientAddress, auth, users, rooms, messages, keys, sendBudget, metrics,
            health, backups::create, files),
        new E2eDeps(keys, roomKeys, auth, sessions, tokens, kt,
            new io.sealroom.keys.VerifiedLists(timed.verified(), keys)));
  }

  /**
   * The key-transparency log, its signing key read from the store (or first stored there), and
   * with E2E on a background backfill of the key versions stored before it was logged.
   */
  private static KtService keyLog(Vertx vertx, Config config, TimedStores timed, String registryName) throws Exception {
    LogKey logKey;
    try {
      logKey = KtService.loadKey(timed.kt()).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store", e.getMessage());
    }
    KtService kt = new KtService(timed.kt(), timed.keys(), logKey,
        new KtMetrics(config.metrics().enabled() ? BackendRegistries.getNow(registryName) : null));
    if (config.e2e().enabled()) {
      vertx.runOnContext(v -> kt.backfill()); // never holds up the start; it logs what it did
    }
    return kt;
  }

  /** What every gateway instance is built from (see {@link GatewayVerticle}'s constructor). */
  private record GatewayDeps(SessionGuard sessions, WsDeps ws, RestDeps rest, E2eDeps e2e) {
  }

  private static JwtKeys jwtKeys(Config config, Stores stores) throws Exception {
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
      String pem = new SharedSecrets(((MongoStores) stores).client()).getOrCreate(JWT_SETTING, () -> {
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
      FileModes.prepareDataDir(Path.of(config.store().dataDir()));
      return JwtKeys.loadOrCreate(Path.of(config.store().dataDir(), Stores.JWT_FILE));
    } catch (java.security.GeneralSecurityException e) {
      throw new ConfigException("store.dataDir", Stores.JWT_FILE + " is damaged (" + e.getMessage()
          + "): restore it, or delete it to sign new tokens (existing ones stop working)");
    }
  }

  private static int deployGateways(Vertx vertx, GatewayDeps gatewayDeps, Config config) throws Exception {
    int instances = config.http().instances() > 0 ? config.http().instances()
        : Math.max(1, Runtime.getRuntime().availableProcessors());
    // every instance must share one port: for port 0, pick a free one first
    int port = config.http().port() != 0 ? config.http().port() : freePort(config.http().host());
    for (int i = 0; i < instances; i++) {
      GatewayVerticle gateway = new GatewayVerticle(config, gatewayDeps.sessions(), gatewayDeps.ws(),
          gatewayDeps.rest(), gatewayDeps.e2e(), port);
      vertx.deployVerticle(gateway).await(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
    return port;
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  /** Closes the node, then its store. Blocking. */
  public void stop() {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    stores.close();
  }
}
