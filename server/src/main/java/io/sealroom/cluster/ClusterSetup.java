package io.sealroom.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import io.sealroom.config.Config.Cluster;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast settings of a clustered node, from the cluster.* keys: TCP/IP join on the
 * configured members only (multicast and auto-detection off), every listener bound to
 * cluster.host, a cluster name so that unrelated clusters on one network never merge.
 */
public final class ClusterSetup {
  /** Maps of the cluster-wide rate limits; idle entries expire. */
  static final String LIMIT_MAPS = io.sealroom.limits.HazelcastLimits.MAP_PREFIX + "*";
  static final int LIMIT_MAX_IDLE_SECONDS = 180;

  // kept: java.util.logging forgets levels of loggers nobody references
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  // warns at every start that CP structures are not strongly consistent: Sealroom uses none
  private static final Logger CP_LOG = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  private ClusterSetup() {
  }

  public static HazelcastClusterManager clusterManager(Cluster cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(Cluster cluster) {
    // vertx-hazelcast's defaults keep the maps and multimaps the event bus relies on
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(cluster.name());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    // JDK logging at WARNING: membership changes still show, the INFO chatter does not
    cfg.setProperty("hazelcast.logging.type", "jdk");
    HAZELCAST_LOG.setLevel(Level.WARNING);
    CP_LOG.setLevel(Level.SEVERE);
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.local.localAddress", interfaceOf(cluster.host()));
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    // the node closes Vert.x (and so leaves the cluster) in its own shutdown hook
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member that stops answering (kill -9) is dropped after this, and its registrations with it
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(io.sealroom.config.Config.Cluster.PORT_COUNT);
    net.setPublicAddress(null);
    net.getInterfaces().setEnabled(true).clear().addInterface(interfaceOf(cluster.host()));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).clear();
    // a member without a port is tried on every port of the range (a range like 15701-15710 would not parse)
    join.getTcpIpConfig().addMember(cluster.host());
    for (String m : cluster.members()) {
      join.getTcpIpConfig().addMember(m);
    }
    cfg.addMapConfig(new MapConfig(LIMIT_MAPS).setMaxIdleSeconds(LIMIT_MAX_IDLE_SECONDS).setBackupCount(1));
    return cfg;
  }

  /** The event bus's own TCP transport: on cluster.host, a free port, announced as cluster.host. */
  public static EventBusOptions eventBusOptions(Cluster cluster) {
    return new EventBusOptions().setHost(cluster.host()).setPort(0).setClusterPublicHost(cluster.host());
  }

  /** Hazelcast's interface filter wants an address (wildcards allowed), not a host name. */
  private static String interfaceOf(String host) {
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new io.sealroom.config.ConfigException("cluster.host", "\"" + host + "\" does not resolve");
    }
  }
}
