package io.sealroom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.sealroom.config.Config.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Hazelcast settings a clustered node starts with. */
class ClusterSetupTest {
  private static final Cluster CLUSTER = new Cluster(true, "127.0.0.1", 25701, List.of("10.0.0.2", "10.0.0.3:5701"), "prod");

  @Test
  void joinsOverTcpIpOnTheConfiguredMembersOnly() {
    Config cfg = ClusterSetup.hazelcastConfig(CLUSTER);
    NetworkConfig net = cfg.getNetworkConfig();
    assertFalse(net.getJoin().getMulticastConfig().isEnabled(), "multicast off");
    assertFalse(net.getJoin().getAutoDetectionConfig().isEnabled(), "auto-detection off");
    assertTrue(net.getJoin().getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1", "10.0.0.2", "10.0.0.3:5701"), net.getJoin().getTcpIpConfig().getMembers());
    assertEquals("prod", cfg.getClusterName());
  }

  @Test
  void bindsToTheClusterHostOnlyOnAPortRange() {
    Config cfg = ClusterSetup.hazelcastConfig(CLUSTER);
    NetworkConfig net = cfg.getNetworkConfig();
    assertEquals("false", cfg.getProperty("hazelcast.socket.bind.any"));
    assertTrue(net.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(net.getInterfaces().getInterfaces()));
    assertEquals(25701, net.getPort());
    assertEquals(10, net.getPortCount());
    assertEquals("127.0.0.1", ClusterSetup.eventBusOptions(CLUSTER).getHost());
    assertEquals("false", cfg.getProperty("hazelcast.phone.home.enabled"));
  }

  @Test
  void keepsTheEventBusMapsOfVertxAndExpiresIdleLimits() {
    Config cfg = ClusterSetup.hazelcastConfig(CLUSTER);
    assertTrue(cfg.getMultiMapConfigs().containsKey("__vertx.subs"), "vertx-hazelcast's defaults are kept");
    assertEquals(ClusterSetup.LIMIT_MAX_IDLE_SECONDS, cfg.getMapConfig("sealroom.limits.sends").getMaxIdleSeconds());
  }
}
