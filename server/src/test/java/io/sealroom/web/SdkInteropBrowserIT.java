package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.ChatMessage;
import io.sealroom.client.ClientOptions;
import io.sealroom.client.NewRoom;
import io.sealroom.client.Room;
import io.sealroom.client.SealroomClient;
import io.sealroom.client.crypto.E2ePassword;
import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.KeyWrap;
import io.sealroom.client.crypto.MemberKey;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.RoomKeys;
import io.sealroom.client.crypto.RsaKeys;
import io.sealroom.client.crypto.SigningKeys;
import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Interop between Web Crypto in Chromium and the Java SDK in both directions: the SDK client
 * (SealroomClient) and a browser in the same encrypted rooms, each establishing a key the other
 * receives; and the SDK's crypto layer step by step: RSA-OAEP (SHA-256, MGF1-SHA-256) member
 * keys, AES-256-GCM messages with the rid|uid|cid AAD, Ed25519 signatures, and a private key
 * wrapped in Java (PBKDF2 + AES-GCM) unlocked in a browser.
 */
class SdkInteropBrowserIT {
  static final String T = "sdk-interop";
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  @Test
  void aJavaClientAndABrowserReadEachOthersMessages() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    api.register(alice, "password-" + alice);
    Api.User bot = api.newUser("javabot");
    PrivateKeys botKeys = PrivateKeys.generate();
    String botPassword = E2ePassword.generate();
    JsonObject upload = new JsonObject().put("publicKey", new JsonObject(botKeys.publicJwk()))
        .put("privateKey", new JsonObject(KeyWrap.wrap(botPassword.toCharArray(), botKeys.toJson(), ITER)))
        .put("signingKey", new JsonObject(botKeys.signingJwk()));
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", bot.token(), upload.encode()).status());

    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      Flows.setUp(a);

      // the browser establishes the key and hands it to the Java member (browser -> Java RSA-OAEP)
      Flows.createRoom(a, "p", "Interop", bot.username(), true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "hello from the browser");
      String rid = Flows.roomId(api, bot.token(), "Interop");
      a.waitUntil("the browser handed the key to the Java member",
          () -> api.get("/api/v1/rooms/" + rid + "/e2e/key", bot.token()).status() == 200);
      JsonObject mine = api.get("/api/v1/rooms/" + rid + "/e2e/key", bot.token()).json();
      byte[] key = MemberKey.unwrap(mine.getJsonObject("key").encode(), botKeys.rsaPrivate(), mine.getString("kid"));

      // Java reads the browser's message (AES-GCM with AAD, Ed25519 signature)
      a.waitUntil("the browser's message is stored", () -> history(rid, bot).size() == 1);
      JsonObject m = history(rid, bot).getJsonObject(0);
      String aliceId = m.getJsonObject("from").getString("id");
      JsonObject aliceKeys = api.get("/api/v1/users/" + aliceId + "/keys", bot.token()).json();
      Envelope.Opened opened = Envelope.open(key, rid, aliceId, m.getString("cid"),
          Envelope.Sealed.fromJson(m.getJsonObject("e2e").encode()),
          SigningKeys.parsePublicJwk(aliceKeys.getJsonObject("signingKey").encode()));
      assertEquals(Envelope.Verification.VERIFIED, opened.verification());
      assertEquals("hello from the browser", new JsonObject(opened.plaintextJson()).getString("text"));

      // the browser reads Java's message, signature verified (Java -> browser)
      sendSealed(bot, botKeys, key, rid, "bot-1", "hello from java");
      a.waitFor(Flows.verifiedOnMessage("hello from java"));
      a.screenshot(T, "browser-reads-java");

      // a key made in Java, handed to the browser (Java -> browser RSA-OAEP); alice joins only
      // after Java established it, or her browser would race to establish its own
      JsonObject create = new JsonObject().put("type", "p").put("name", "From Java").put("encrypted", true)
          .put("members", new JsonArray());
      String rid2 = api.post("/api/v1/rooms", bot.token(), create).json().getString("id");
      byte[] key2 = RoomKeys.generate();
      String kid2 = RoomKeys.kid(key2);
      assertEquals(200, api.post("/api/v1/rooms/" + rid2 + "/e2e/key-id", bot.token(), new JsonObject().put("kid", kid2)
          .put("key", new JsonObject(MemberKey.wrap(key2, botKeys.rsaPublic())))).status());
      assertEquals(200, api.post("/api/v1/rooms/" + rid2 + "/members", bot.token(),
          new JsonObject().put("username", alice)).status());
      JsonArray waiting = api.get("/api/v1/rooms/" + rid2 + "/e2e/waiting", bot.token()).json().getJsonArray("users");
      assertEquals(1, waiting.size(), waiting.encode());
      JsonObject w = waiting.getJsonObject(0);
      JsonObject grant = new JsonObject().put("userId", w.getString("id")).put("key",
          new JsonObject(MemberKey.wrap(key2, RsaKeys.parsePublicJwk(w.getJsonObject("publicKey").encode()))));
      assertEquals(1, api.post("/api/v1/rooms/" + rid2 + "/e2e/keys", bot.token(),
          new JsonObject().put("keys", new JsonArray().add(grant))).json().getInteger("stored"));
      sendSealed(bot, botKeys, key2, rid2, "bot-2", "java established this key");
      a.waitFor(a.roomItem("From Java"));
      a.openRoom("From Java");
      a.waitFor(Flows.verifiedOnMessage("java established this key"));
    }

    // the private key wrapped in Java opens in a browser with the generated password
    try (Browser c = Browser.open("javabot-in-chromium", node.baseUrl())) {
      c.login(bot.username(), "password-" + bot.username());
      c.click(By.id("e2e-banner"));
      Flows.unlock(c, botPassword);
      c.openRoom("Interop");
      c.waitFor(Flows.verifiedOnMessage("hello from the browser"));
      c.waitFor(Flows.verifiedOnMessage("hello from java"));
      c.screenshot(T, "java-keys-unlocked-in-a-browser");
    }
  }

  @Test
  void theSdkClientAndABrowserReadEachOthersMessages() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    String botName = "sdkbot-" + UUID.randomUUID().toString().substring(0, 6);
    api.register(alice, "password-" + alice);
    SealroomClient.register(node.baseUrl(), botName, "password-" + botName);
    BlockingQueue<ChatMessage> inbox = new LinkedBlockingQueue<>();
    try (Browser a = Browser.open("alice-and-the-sdk", node.baseUrl());
        SealroomClient bot = SealroomClient.login(node.baseUrl(), botName, "password-" + botName,
            ClientOptions.defaults().withKdfIterations(ITER))) {
      bot.e2e().setup();
      a.login(alice, "password-" + alice);
      Flows.setUp(a);

      // the SDK makes the room and its key; the browser gets the key and reads the SDK
      Room fromSdk = bot.createRoom(NewRoom.privateGroup("Made by the SDK", alice).encrypted(true));
      bot.subscribe(fromSdk.id(), 0, inbox::add);
      bot.send(fromSdk.id(), "hello from the sdk client");
      a.waitFor(a.roomItem("Made by the SDK"));
      a.openRoom("Made by the SDK");
      a.waitFor(Flows.verifiedOnMessage("hello from the sdk client"));
      Flows.send(a, "hello back from chromium");
      ChatMessage got = next(inbox, "hello back from chromium");
      assertTrue(got.encrypted() && got.verified(), got.toString());
      a.screenshot(T, "sdk-client-and-browser");

      // the browser makes the room and its key; the SDK gets the key and reads the browser
      Flows.createRoom(a, "p", "Made in Chromium", botName, true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      Flows.send(a, "the browser holds this key");
      String rid = Flows.roomId(api, api.login(alice, "password-" + alice).json().getString("token"), "Made in Chromium");
      bot.subscribe(rid, 0, inbox::add);
      got = next(inbox, "the browser holds this key");
      assertTrue(got.encrypted() && got.verified(), got.toString());
      bot.send(rid, "and the sdk answers");
      a.waitFor(Flows.verifiedOnMessage("and the sdk answers"));
    }
  }

  /** The next message with this text the SDK delivered (others are skipped), within 30 s. */
  static ChatMessage next(BlockingQueue<ChatMessage> inbox, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      ChatMessage m = inbox.poll(200, TimeUnit.MILLISECONDS);
      if (m != null && text.equals(m.text())) {
        return m;
      }
    }
    assertNotNull(null, "the SDK never read \"" + text + "\"");
    return null;
  }

  /** The room's messages (its timeline events left out). */
  static JsonArray history(String rid, Api.User u) {
    return new JsonArray(api.get("/api/v1/rooms/" + rid + "/messages", u.token()).json().getJsonArray("messages")
        .stream().filter(o -> !((JsonObject) o).containsKey("event")).toList());
  }

  static void sendSealed(Api.User u, PrivateKeys keys, byte[] roomKey, String rid, String cid, String text) {
    Envelope.Sealed s = Envelope.seal(roomKey, rid, u.id(), cid, new JsonObject().put("text", text).encode(),
        keys.signingPrivate());
    Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", u.token(),
        new JsonObject().put("cid", cid).put("e2e", new JsonObject(s.toJson())));
    assertEquals(201, r.status(), r.raw());
  }
}
