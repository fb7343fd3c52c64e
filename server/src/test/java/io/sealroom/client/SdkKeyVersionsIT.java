package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.Envelope.Verification;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** User key versions through the SDK: messages signed before and after the sender's key reset all verify. */
class SdkKeyVersionsIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  static String token(String username) {
    return users.node.api().login(username, SdkUsers.password(username)).json().getString("token");
  }

  /**
   * Sends over REST as {@code sender}, as a client that does not use the SDK would: sealed under
   * the room's current key, signed with {@code signer}, naming {@code ukid} (or none).
   */
  static void sendRaw(SealroomClient sender, String rid, String text, PrivateKeys signer, String ukid) {
    Api api = users.node.api();
    String token = token(sender.user().username());
    JsonObject own = api.get("/api/v1/rooms/" + rid + "/e2e/key", token).json();
    byte[] roomKey = MemberKeys.unwrap(sender.e2e().keys().rsaPrivate(), new io.sealroom.client.json.JsonObject(own.getJsonObject("key").encode()), own.getString("kid"));
    String cid = "raw-" + UUID.randomUUID();
    JsonObject e2e = new JsonObject(Envelope.seal(roomKey, rid, sender.user().id(), cid,
        new JsonObject().put("text", text).encode(), signer.signingPrivate()).toJson());
    if (ukid != null) {
      e2e.put("ukid", ukid);
    }
    Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", token, new JsonObject().put("cid", cid).put("e2e", e2e));
    assertEquals(201, r.status(), r.raw());
  }

  static void expect(SdkUsers.Inbox in, String text, Verification v) throws InterruptedException {
    ChatMessage m = in.nextMessage();
    assertEquals(text, m.text());
    assertEquals(v, m.verification(), text);
  }

  /** Reads the messages (and the one event) of the scenario below, in order. */
  static void expectAll(SdkUsers.Inbox in, SealroomClient alice, String newUkid) throws InterruptedException {
    expect(in, "first keys", Verification.VERIFIED);
    expect(in, "first keys, no ukid", Verification.VERIFIED);
    expect(in, "first keys named, another key signed", Verification.BAD_SIGNATURE);
    ChatMessage changed = in.nextEvent(RoomEvent.USER_KEYS_CHANGED);
    assertEquals(alice.user(), changed.event().user());
    assertEquals(newUkid, changed.event().ukid());
    expect(in, "new keys", Verification.VERIFIED);
    expect(in, "new keys, no ukid", Verification.VERIFIED);
    assertNull(in.poll(300), "one user.keys.changed event, nothing else");
  }

  @Test
  void aBotVerifiesMessagesSignedBeforeAndAfterTheSendersKeyReset() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName);
    alice.e2e().setup();
    String firstUkid = alice.e2e().ukid();
    String botName = users.newAccount("bot");
    SealroomClient bot = users.login(botName);
    String botPassword = bot.e2e().setup();
    Room room = alice.createRoom(NewRoom.privateGroup("versions", botName).encrypted(true));
    long head = alice.room(room.id()).head();
    SdkUsers.Inbox live = new SdkUsers.Inbox();
    bot.subscribe(room.id(), head, live);

    alice.send(room.id(), "first keys");
    PrivateKeys first = alice.e2e().keys();
    sendRaw(alice, room.id(), "first keys, no ukid", first, null);
    sendRaw(alice, room.id(), "first keys named, another key signed", PrivateKeys.generate(), firstUkid);
    alice.e2e().reset(SdkUsers.password(aliceName));
    alice.e2e().setup();
    String newUkid = alice.e2e().ukid();
    assertNotNull(newUkid);
    assertNotEquals(firstUkid, newUkid, "a reset and a new setup make a new key version");
    alice.send(room.id(), "new keys"); // the bot, online, hands alice the room key
    sendRaw(alice, room.id(), "new keys, no ukid", alice.e2e().keys(), null);

    expectAll(live, alice, newUkid);
    // a reader that comes later reads it all from history, with no version cached
    SdkUsers.Inbox later = new SdkUsers.Inbox();
    SealroomClient botAgain = users.login(botName);
    botAgain.e2e().unlock(botPassword);
    botAgain.subscribe(room.id(), head, later);
    SdkUsers.eventually(() -> later.queue.size() >= 6, "the history arrived");
    expectAll(later, alice, newUkid);

    JsonArray stored = users.node.api().get("/api/v1/rooms/" + room.id() + "/messages?after=" + head,
        token(botName)).json().getJsonArray("messages");
    List<String> ukids = stored.stream().map(o -> ((JsonObject) o).getJsonObject("e2e")).filter(e -> e != null)
        .map(e -> e.getString("ukid")).collect(Collectors.toList());
    assertEquals(java.util.Arrays.asList(firstUkid, null, firstUkid, newUkid, null), ukids,
        "the SDK names the version that signed each message, the new one after the reset");
  }
}
