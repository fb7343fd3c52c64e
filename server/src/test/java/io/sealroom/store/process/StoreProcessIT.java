package io.sealroom.store.process;

import io.sealroom.store.mongo.StoreProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.sealroom.testing.SendRecorder;
import io.sealroom.testing.StoreJar;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The store process ({@code sealroom.jar store}) keeps the in-process store's promise: a node
 * on it acknowledges a message only once the store committed it, so killing the store with
 * SIGKILL while sends are in flight loses no acknowledged message, and after the store restarts
 * the same node numbers on without a gap. Real processes: the packaged jar, twice.
 */
class StoreProcessIT {
  private static final int CLIENTS = 3;
  private static final int PER_CLIENT = 150;
  private static final int TOTAL = CLIENTS * PER_CLIENT;
  private static final int KILL_AFTER = 150;
  private static final long SETTLE_MS = 90_000;

  @TempDir
  Path tmp;

  @Test
  void everyAckedMessageSurvivesKillMinus9OfTheStoreAndTheNodeCarriesOn() throws Exception {
    String storeData = tmp.resolve("store").toString();
    Path log = tmp.resolve("processes.log");
    int storePort = JarProcess.freePort();
    StoreJar store = StoreJar.start(storePort, storeData, log);
    Map<String, String> nodeEnv = Map.of("SEALROOM_MONGO_URI", store.uri(),
        "SEALROOM_STORE_DATADIR", tmp.resolve("node").toString());
    try (JarProcess node = JarProcess.start(JarProcess.freePort(), nodeEnv, log)) {
      Api api = new Api(node.baseUrl());
      List<Api.User> users = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        users.add(api.newUser("store" + i));
      }
      String rid = api.createRoom(users.get(0), "p", "shared",
          users.subList(1, CLIENTS).stream().map(Api.User::username).toList());
      SendRecorder outcomes = new SendRecorder(KILL_AFTER);
      List<SendRecorder.Sender> senders = new ArrayList<>();
      for (Api.User u : users) {
        senders.add(outcomes.open(node.port(), u));
      }

      Map<String, Long> ackedAtKill = sendWhileTheStoreIsKilled(senders, rid, outcomes, store);
      assertTrue(ackedAtKill.size() < TOTAL, "every send was acknowledged before the kill: nothing was in flight");

      store = StoreJar.start(storePort, storeData, log);
      List<JsonObject> afterRestart = history(api, users.get(0), rid);
      assertNothingLost(ackedAtKill, afterRestart);
      System.out.printf("store process: sent %d, acked before kill -9 of the store %d, stored after its restart %d%n",
          TOTAL, ackedAtKill.size(), afterRestart.size());

      outcomes.awaitOutcomes(TOTAL, SETTLE_MS);
      resendUntilAcked(senders, rid, outcomes);
      List<JsonObject> all = history(api, users.get(0), rid);
      assertNothingLost(ackedAtKill, all);
      assertEquals(TOTAL, all.size(), "each cid stored once");
      assertEquals(List.of(), outcomes.conflicts, "a retried cid is answered with its first seq");
      for (JsonObject m : all) {
        assertEquals(outcomes.acks.get(m.getString("cid")), m.getLong("seq"), "ack and history agree");
      }

      // a new message after all that: the next seq
      outcomes.reset();
      senders.get(0).send(rid, "after-restart");
      outcomes.awaitOutcomes(1, 30_000);
      // the next seq after room.created and the messages
      assertEquals(TOTAL + 2L, outcomes.acks.get("after-restart"), "the next seq; errors: " + outcomes.errors);
      assertStoreProcessIndexSet(store.uri());
      senders.forEach(SendRecorder.Sender::close);
    } finally {
      store.close();
    }
  }

  @Test
  void sigtermClosesTheStoreCleanlyAndItsDataIsThereAfterARestart() throws Exception {
    String data = tmp.resolve("store").toString();
    Path log = tmp.resolve("store.log");
    int port = JarProcess.freePort();
    StoreJar store = StoreJar.start(port, data, log);
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = MongoClient.createShared(vertx, new JsonObject().put("connection_string", store.uri())
          .put("db_name", "sealroom"), "sigterm-it");
      List<io.vertx.core.Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        inserts.add(mongo.insert("things", new JsonObject().put("_id", "t" + i)));
      }
      io.vertx.core.Future.all(inserts).await(20, TimeUnit.SECONDS);
      assertEquals(143, store.terminate(), "exit status after SIGTERM (128 + 15)");
      store = StoreJar.start(port, data, log);
      assertEquals(50L, mongo.count("things", new JsonObject()).await(30, TimeUnit.SECONDS));
    } finally {
      store.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    String stderr = java.nio.file.Files.readString(log);
    assertFalse(stderr.contains("Exception") || stderr.contains("failed"), stderr);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port nope   | --port: must be an integer between 0 and 65535",
      "--port 70000  | --port: must be between 0 and 65535 (got 70000)",
      "--datadir x   | --datadir: unknown argument (usage: java -jar sealroom.jar store",
      "--data-dir    | --data-dir: needs a value"})
  void badArgumentsExitWith2AndNameTheArgument(String args, String expected) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JarProcess.jar().toString(), "store"));
    cmd.addAll(List.of(args.trim().split("\\s+")));
    Process p = new ProcessBuilder(cmd).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), err);
    List<String> lines = err.lines().filter(l -> !l.startsWith("SLF4J")).toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("config error: " + expected.trim()), lines.get(0));
    assertFalse(out.contains("listening"), out);
  }

  /**
   * Every client sends its messages, paced so that sends keep coming while the store dies; the
   * store is killed (SIGKILL) once enough acks arrived. Returns the acks received by then.
   */
  private static Map<String, Long> sendWhileTheStoreIsKilled(List<SendRecorder.Sender> senders, String rid,
      SendRecorder outcomes, StoreJar store) throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      SendRecorder.Sender s = senders.get(c);
      String prefix = "c" + c + "-";
      Thread t = new Thread(() -> {
        for (int i = 0; i < PER_CLIENT; i++) {
          s.send(rid, prefix + i);
          pause();
        }
      }, "sender-" + c);
      t.start();
      threads.add(t);
    }
    outcomes.enoughAcks.get(60, TimeUnit.SECONDS);
    store.kill9();
    // acks that arrive until the process is gone count too: the store sent them before it died
    Map<String, Long> acked = new HashMap<>(outcomes.acks);
    for (Thread t : threads) {
      t.join();
    }
    return acked;
  }

  /** Paced so that sends are still being made well after the kill (about 0.75 s per client in all). */
  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every acked message is stored with its seq and text; the stored messages' seqs are exactly 2..n+1. */
  private static void assertNothingLost(Map<String, Long> acked, List<JsonObject> stored) {
    Map<String, JsonObject> byCid = stored.stream().collect(Collectors.toMap(m -> m.getString("cid"), m -> m));
    for (Map.Entry<String, Long> a : acked.entrySet()) {
      JsonObject m = byCid.get(a.getKey());
      assertTrue(m != null, "acked message " + a.getKey() + " lost (acked " + acked.size() + ", stored " + stored.size() + ")");
      assertEquals(a.getValue(), m.getLong("seq"), a.getKey());
      assertEquals("text of " + a.getKey(), m.getString("text"));
    }
    for (int i = 0; i < stored.size(); i++) {
      assertEquals(i + 2L, stored.get(i).getLong("seq"), "gap-free seqs after room.created (seq 1)");
    }
  }

  /** Resends (same cid) every message not acknowledged yet, until all are; retries cover the node's store reconnect. */
  private static void resendUntilAcked(List<SendRecorder.Sender> senders, String rid, SendRecorder outcomes) throws Exception {
    long deadline = System.currentTimeMillis() + SETTLE_MS;
    while (outcomes.acks.size() < TOTAL) {
      assertTrue(System.currentTimeMillis() < deadline, "still unacked: " + (TOTAL - outcomes.acks.size())
          + ", errors: " + outcomes.errors.values().stream().distinct().toList());
      Set<String> missing = new java.util.TreeSet<>();
      for (int c = 0; c < CLIENTS; c++) {
        for (int i = 0; i < PER_CLIENT; i++) {
          if (!outcomes.acks.containsKey("c" + c + "-" + i)) {
            missing.add("c" + c + "-" + i);
          }
        }
      }
      outcomes.errors.keySet().removeAll(missing);
      for (String cid : missing) {
        senders.get(Integer.parseInt(cid.substring(1, cid.indexOf('-')))).send(rid, cid);
      }
      outcomes.awaitOutcomes(TOTAL, 30_000);
      if (outcomes.acks.size() < TOTAL) {
        Thread.sleep(500);
      }
    }
  }

  /**
   * The whole history's messages in seq order (the room's events left out), read page by page;
   * retried while the node reconnects to the store.
   */
  private static List<JsonObject> history(Api api, Api.User user, String rid) throws InterruptedException {
    long deadline = System.currentTimeMillis() + SETTLE_MS;
    while (true) {
      List<JsonObject> out = new ArrayList<>();
      long after = 0;
      boolean failed = false;
      while (!failed) {
        Api.Res r = api.get("/api/v1/rooms/" + rid + "/messages?after=" + after + "&limit=200", user.token());
        if (r.status() != 200) {
          failed = true;
          break;
        }
        List<Object> page = r.json().getJsonArray("messages").getList();
        if (page.isEmpty()) {
          return out;
        }
        for (Object o : r.json().getJsonArray("messages")) {
          if (!((JsonObject) o).containsKey("event")) {
            out.add((JsonObject) o);
          }
          after = ((JsonObject) o).getLong("seq");
        }
      }
      assertTrue(System.currentTimeMillis() < deadline, "history unavailable after the store restarted");
      Thread.sleep(250);
    }
  }

  /** The node found the store process and made the embedded server's index set, not MongoDB's. */
  private static void assertStoreProcessIndexSet(String uri) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = MongoClient.createShared(vertx, new JsonObject().put("connection_string", uri)
          .put("db_name", "sealroom"), "store-process-it");
      List<String> users = indexNames(mongo, "users");
      List<String> messages = indexNames(mongo, "messages");
      assertTrue(users.contains("by_id_fp"), "embedded index set on users: " + users);
      assertFalse(messages.contains("uniq_rid_seq"), "no MongoDB-only index on messages: " + messages);
      assertTrue(StoreProbe.isStoreProcess(mongo).await(10, TimeUnit.SECONDS));
      mongo.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> indexNames(MongoClient mongo, String collection) throws Exception {
    return mongo.listIndexes(collection).await(10, TimeUnit.SECONDS).stream()
        .map(i -> ((JsonObject) i).getString("name")).toList();
  }
}
