package io.sealroom.kt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.ClusterProcesses;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three node processes on one store (the cluster of {@link ClusterProcesses}) serve one log:
 * users register, upload, reset and upload again on different nodes, all at once; then every
 * node signs the same tree (same size and root, one log key), its size is the number of
 * versions uploaded, and every version's proof from any node verifies against any node's head.
 */
class KtClusterIT {
  private static final int USERS = 36;
  private static Path dir;
  private static ClusterProcesses cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sealroom-kt-cluster");
    // a generous store deadline: this checks one log under concurrency, on a small shared machine
    cluster = ClusterProcesses.start(dir, 3, Map.of("SEALROOM_E2E_MINKDFITERATIONS", String.valueOf(KtHttp.ITER),
        "SEALROOM_STORE_OPTIMEOUTMS", "20000"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private record Version(String uid, String ukid) {
  }

  /**
   * One user's keys: uploaded on the node after the one the user registered on; every third
   * user resets them and uploads new ones on the third node.
   */
  private static List<Version> flow(int i, Api.User u) {
    List<Version> out = new ArrayList<>();
    out.add(new Version(u.id(), KtHttp.uploadKeys(cluster.api((i + 1) % 3), u)));
    if (i % 3 == 0) {
      Api other = cluster.api((i + 2) % 3);
      Api.User again = new Api.User(u.id(), u.username(), KtHttp.reset(other, u));
      out.add(new Version(u.id(), KtHttp.uploadKeys(other, again)));
    }
    return out;
  }

  /** Runs the calls on a pool of this many threads at once; their results in call order. */
  private static <T> List<T> parallel(int threads, int n, java.util.function.IntFunction<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        calls.add(pool.submit(() -> call.apply(k)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : calls) {
        out.add(f.get(180, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyNodeServesOneLogOfEveryVersion() throws Exception {
    // accounts first (password hashing is slow on a small machine): the key uploads then run all at once
    List<Api.User> users = parallel(3, USERS, i -> cluster.api(i % 3).newUser("kt" + i));
    List<Version> versions = new ArrayList<>();
    parallel(USERS, USERS, i -> flow(i, users.get(i))).forEach(versions::addAll);
    assertEquals(USERS + USERS / 3, versions.size());
    List<JsonObject> heads = new ArrayList<>();
    for (int n = 0; n < cluster.size(); n++) {
      heads.add(KtHttp.head(cluster.api(n)));
    }
    for (JsonObject h : heads) {
      assertEquals(versions.size(), h.getLong("size"), "one leaf per version: " + h.encode());
      assertEquals(heads.get(0).getString("root"), h.getString("root"), "one tree on every node");
      assertEquals(heads.get(0).getJsonObject("logKey"), h.getJsonObject("logKey"), "one log key");
    }
    for (int i = 0; i < versions.size(); i++) {
      Version v = versions.get(i);
      // the proof from one node, checked against the head another node signed
      KtHttp.verifiedProof(cluster.api(i % 3), heads.get((i + 1) % 3), v.uid(), v.ukid());
    }
    KtHttp.verifyConsistency(cluster.api(2), KtHttp.head(cluster.api(1)), heads.get(0));
  }
}
