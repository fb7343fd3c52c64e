package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.RawWs;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an abusive or careless WebSocket client costs the node is bounded and given back:
 * ping floods from a client that never reads, closing before subbed arrives, subscribers that
 * stop reading, pipelined subs, text that is not UTF-8 and close frames with codes that may not
 * be sent. Live objects are read from the node's own gauges (sealroom_connections,
 * sealroom_user_connections, sealroom_room_subscriptions).
 */
class WsAbuseIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder()
      .config("ws.authTimeoutMs", 60_000)
      .config("ws.maxQueuedBytes", 65_536)
      .config("ws.closeTimeoutMs", 1000)
      .build();
  static final Api api = node.api();

  static double gauge(String name) {
    return api.gauge(name);
  }

  static double awaitGauge(String name, double expected, long ms) throws InterruptedException {
    return api.awaitGauge(name, expected, ms);
  }

  /** True once the server has ended the connection (end of stream or reset), reading whatever was queued. */
  static boolean endedByServer(RawWs ws, long ms) {
    long deadline = System.currentTimeMillis() + ms;
    byte[] sink = new byte[65536];
    try {
      InputStream in = ws.input();
      while (System.currentTimeMillis() < deadline) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return true; // reset, or the read timed out after the deadline
    }
  }

  @Test
  void anAnonymousPingFloodThatNeverReadsIsCutAndReleased() throws Exception {
    double before = gauge("sealroom_connections");
    try (RawWs flood = new RawWs(node.port(), 4096, null)) {
      byte[] payload = new byte[125];
      try {
        // 400,000 pings of 125 bytes (51 MB): answered one by one, the pongs pile up in the node
        for (int i = 0; i < 40; i++) {
          flood.sendFrames(9, payload, 10_000);
        }
      } catch (IOException cut) {
        // the node dropped the connection while we were still sending: what it should do
      }
      assertEquals(before, awaitGauge("sealroom_connections", before, 5000),
          "the flooding connection is closed and released, not kept with its pongs queued");
    }
  }

  @Test
  void pingsFromAReaderAreAnsweredWithTheirPayload() throws Exception {
    try (RawWs ws = new RawWs(node.port(), 0, null)) {
      ws.sendFrame(9, "hello".getBytes(StandardCharsets.UTF_8));
      RawWs.Frame pong = ws.read();
      assertEquals(10, pong.opcode());
      assertEquals("hello", new String(pong.payload(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void closingBeforeSubbedArrivesLeavesNothingRegistered() throws Exception {
    Api.User u = api.newUser("churn");
    String rid = api.createRoom(u, "p", "churn", List.of());
    double before = gauge("sealroom_connections");
    for (int i = 0; i < 100; i++) {
      RawWs ws = new RawWs(node.port(), 0, null);
      ws.sendText(new JsonObject().put("op", "auth").put("token", u.token()).encode());
      ws.read(); // ready
      ws.sendText(new JsonObject().put("op", "sub").put("room", rid).put("ref", "s" + i).encode());
      ws.close(); // at once, before subbed
    }
    assertEquals(before, awaitGauge("sealroom_connections", before, 5000));
    Thread.sleep(500); // any store read still under way completes
    assertEquals(0, awaitGauge("sealroom_room_subscriptions", 0, 3000), "no subscription outlives its connection");
    assertEquals(0, awaitGauge("sealroom_user_connections", 0, 3000), "no connection stays registered for its user");
    // this test's REST client holds a kept-alive connection or two; the 100 upgraded ones are gone
    assertTrue(gauge("sealroom_http_connections") < 5, "upgraded connections leave the HTTP guard");
  }

  @Test
  void subscribersThatNeverReadAreDroppedNotHeld() throws Exception {
    Api.User owner = api.newUser("stall");
    List<Api.User> readers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readers.add(api.newUser("stalled"));
    }
    String rid = api.createRoom(owner, "p", "stalls", readers.stream().map(Api.User::username).toList());
    double before = gauge("sealroom_connections");
    List<RawWs> stalled = new ArrayList<>();
    try (WsClient sender = WsClient.authed(node, owner)) {
      for (Api.User r : readers) {
        RawWs ws = new RawWs(node.port(), 4096, null);
        ws.sendText(new JsonObject().put("op", "auth").put("token", r.token()).encode());
        ws.read();
        ws.sendText(new JsonObject().put("op", "sub").put("room", rid).encode());
        ws.read(); // subbed; from here on nothing is read
        stalled.add(ws);
      }
      String text = "z".repeat(8000);
      // 9.6 MB to each: far more than the kernel's socket buffers and ws.maxQueuedBytes hold
      for (int i = 0; i < 1200; i++) {
        sender.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "z" + i).put("text", text));
      }
      sender.await(f -> "ack".equals(f.getString("op")) && "z1199".equals(f.getString("cid")), 60);
      // told 4008, none of them takes its close frame: each is dropped ws.closeTimeoutMs later
      assertEquals(before + 1, awaitGauge("sealroom_connections", before + 1, 6000),
          "every stalled subscriber is dropped; only the sender remains");
      assertEquals(1, gauge("sealroom_user_connections"));
      for (RawWs ws : stalled) {
        assertTrue(endedByServer(ws, 5000), "the stalled socket was closed by the node");
      }
    } finally {
      for (RawWs ws : stalled) {
        ws.close();
      }
    }
  }

  @Test
  void everyPipelinedSubIsAnswered() throws Exception {
    Api.User u = api.newUser("pipe");
    String rid = api.createRoom(u, "p", "pipes", List.of());
    try (RawWs ws = new RawWs(node.port(), 0, null)) {
      ws.sendText(new JsonObject().put("op", "auth").put("token", u.token()).encode());
      ws.read();
      List<String> subs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        subs.add(new JsonObject().put("op", "sub").put("room", rid).put("ref", "rs" + i).encode());
      }
      ws.sendTexts(subs);
      List<String> refs = new ArrayList<>();
      while (refs.size() < 5) {
        JsonObject f = new JsonObject(ws.read().text());
        assertEquals("subbed", f.getString("op"), f.encode());
        refs.add(f.getString("ref"));
      }
      assertEquals(List.of("rs0", "rs1", "rs2", "rs3", "rs4"), refs, "one subbed per sub, in order");
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        many.add(new JsonObject().put("op", i % 3 == 2 ? "unsub" : "sub").put("room", rid).put("ref", "m" + i).encode());
      }
      ws.sendTexts(many);
      for (int i = 0; i < 300; i++) {
        JsonObject f = new JsonObject(ws.read().text());
        assertEquals("m" + i, f.getString("ref"), f.encode());
        assertEquals(i % 3 == 2 ? "unsubbed" : "subbed", f.getString("op"));
      }
    }
  }

  @Test
  void textThatIsNotUtf8ClosesWith1007() throws Exception {
    try (RawWs ws = new RawWs(node.port(), 0, null)) {
      ws.sendFrame(1, new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
      assertEquals(1007, ws.readUntilClose());
    }
    Api.User u = api.newUser("utf");
    try (RawWs ws = new RawWs(node.port(), 0, null)) {
      ws.sendText(new JsonObject().put("op", "auth").put("token", u.token()).encode());
      ws.read();
      // an overlong '/' inside a valid frame start
      ws.sendFrame(1, "{\"op\":\"ping\",\"ref\":\"\u00c0\"}".getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(1007, ws.readUntilClose());
    }
  }

  @Test
  void anUnpairedSurrogateEscapeIsRefusedNotStored() throws Exception {
    Api.User u = api.newUser("sur");
    String rid = api.createRoom(u, "p", "surrogates", List.of());
    try (RawWs ws = new RawWs(node.port(), 0, null)) {
      ws.sendText(new JsonObject().put("op", "auth").put("token", u.token()).encode());
      ws.read();
      ws.sendText("{\"op\":\"send\",\"room\":\"" + rid + "\",\"cid\":\"c1\",\"text\":\"a\\ud800b\",\"ref\":\"x\"}");
      JsonObject f = new JsonObject(ws.read().text());
      assertEquals("error", f.getString("op"), f.encode());
      assertEquals("invalid_request", f.getString("code"));
      assertEquals("x", f.getString("ref"));
    }
    JsonObject history = api.get("/api/v1/rooms/" + rid + "/messages", u.token()).json();
    assertEquals(1, history.getJsonArray("messages").size(), "nothing was stored: " + history);
    assertEquals("room.created", history.getJsonArray("messages").getJsonObject(0).getJsonObject("event").getString("type"));
  }

  @Test
  void closeCodesThatMayNotBeSentAreAnsweredWith1002() throws Exception {
    for (int code : new int[] {5000, 65535, 999, 1005, 1006, 1015, 2999}) {
      try (RawWs ws = new RawWs(node.port(), 0, null)) {
        ws.sendClose(code);
        assertEquals(1002, ws.readUntilClose(), "close code " + code);
      }
    }
    for (int code : new int[] {1000, 1001, 3000, 4999}) {
      try (RawWs ws = new RawWs(node.port(), 0, null)) {
        ws.sendClose(code);
        assertEquals(code, ws.readUntilClose(), "close code " + code + " is echoed");
      }
    }
  }
}
