package io.sealroom.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files name only settings a node knows, with values it accepts: each node of
 * the cluster compose file, with the Dockerfile's environment and the shipped config under it,
 * loads (a typo in a SEALROOM_* name would stop the container at start).
 */
class DeployFilesTest {
  private static final Path ROOT = Path.of(System.getProperty("sealroom.root", ".."));
  private static final Pattern ENV_LINE = Pattern.compile("^\\s*(SEALROOM_[A-Z0-9_]+):\\s*\"([^\"]*)\"\\s*$", Pattern.MULTILINE);
  private static final Pattern DOCKER_ENV = Pattern.compile("(SEALROOM_[A-Z0-9_]+)=(\\S+)");

  private static Map<String, String> envLines(String text) {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = ENV_LINE.matcher(text);
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    return env;
  }

  @Test
  void everyClusterNodeOfTheComposeFileLoadsItsConfiguration() throws Exception {
    String compose = Files.readString(ROOT.resolve("deploy/cluster/docker-compose.yml"));
    Map<String, String> image = new HashMap<>();
    Matcher d = DOCKER_ENV.matcher(Files.readString(ROOT.resolve("Dockerfile")));
    while (d.find()) {
      image.put(d.group(1), d.group(2));
    }
    assertFalse(image.isEmpty(), "the Dockerfile sets SEALROOM_* variables");
    JsonObject shipped = new JsonObject(Files.readString(ROOT.resolve("conf/config.json")));
    Map<String, String> shared = envLines(compose);
    assertTrue(shared.containsKey("SEALROOM_MONGO_URI"), "the nodes share one store");
    for (String node : new String[] {"node1", "node2", "node3"}) {
      Map<String, String> env = new HashMap<>(image);
      env.putAll(shared);
      env.put("SEALROOM_CLUSTER_HOST", node);
      Config c = assertDoesNotThrow(() -> ConfigLoader.load(shipped, env), node);
      assertTrue(c.cluster().enabled(), node);
      assertEquals(3, c.cluster().members().size(), node);
      assertTrue(c.mongo().uri().contains("replicaSet="), "a replica set in production");
    }
  }

  @Test
  void theLoadBalancerPassesWebSocketsOnToEveryNode() throws Exception {
    String nginx = Files.readString(ROOT.resolve("deploy/cluster/nginx.conf"));
    for (String node : new String[] {"node1", "node2", "node3"}) {
      assertTrue(nginx.contains("server " + node + ":8080"), node);
    }
    assertTrue(nginx.contains("proxy_set_header Upgrade $ws_upgrade;"));
    assertTrue(nginx.contains("proxy_set_header Connection $connection_upgrade;"));
    assertTrue(nginx.contains("proxy_http_version 1.1;"));
  }
}
