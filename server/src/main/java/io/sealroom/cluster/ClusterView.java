package io.sealroom.cluster;

import com.hazelcast.cluster.Member;
import io.sealroom.config.Config;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** The cluster as /health reports it: this node, whether it is in the cluster, and the members it sees. */
public final class ClusterView {
  private ClusterView() {
  }

  /** {"enabled":false} for a single node; else name, state ("joined" or "left"), node id and members. */
  public static JsonObject of(Config.Cluster config, HazelcastClusterManager cluster) {
    if (cluster == null) {
      return new JsonObject().put("enabled", false);
    }
    JsonObject view = new JsonObject().put("enabled", true).put("name", config.name());
    JsonArray members = new JsonArray();
    boolean joined = cluster.isActive() && cluster.getHazelcastInstance().getLifecycleService().isRunning();
    if (joined) {
      view.put("node", cluster.getHazelcastInstance().getCluster().getLocalMember().getUuid().toString());
      for (Member m : cluster.getHazelcastInstance().getCluster().getMembers()) {
        members.add(new JsonObject().put("id", m.getUuid().toString())
            .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
            .put("self", m.localMember()));
      }
    }
    return view.put("state", joined ? "joined" : "left").put("size", members.size()).put("members", members);
  }

  /** True when the view says this node is not (or no longer) in its cluster. */
  public static boolean detached(JsonObject view) {
    return view.getBoolean("enabled", false) && !"joined".equals(view.getString("state"));
  }
}
