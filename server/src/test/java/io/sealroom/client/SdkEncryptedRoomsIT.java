package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Encrypted rooms through the SDK: several readers, keys pushed to late members, conversion. */
class SdkEncryptedRoomsIT {
  // this server lets owners turn encryption off (e2e.allowDisable); SdkRecoveryIT checks the default refusal
  @RegisterExtension
  static final SdkUsers users = new SdkUsers(Map.of("e2e.allowDisable", true));

  static List<String> texts(List<ChatMessage> ms) {
    return ms.stream().map(ChatMessage::text).collect(Collectors.toList());
  }

  /** The room's stored messages as the server holds them (read with a token of its own). */
  static JsonArray stored(String username, String rid) {
    Api api = users.node.api();
    String token = api.login(username, SdkUsers.password(username)).json().getString("token");
    return api.get("/api/v1/rooms/" + rid + "/messages", token).json().getJsonArray("messages");
  }

  static List<String> eventTypes(JsonArray stored) {
    return stored.stream().map(o -> ((JsonObject) o).getJsonObject("event")).filter(e -> e != null)
        .map(e -> e.getString("type")).collect(Collectors.toList());
  }

  @Test
  void aGroupCreatedByOneIsReadByTwo() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    SealroomClient carol = users.newE2eClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("vault", bob.user().username(), carol.user().username())
        .encrypted(true));
    assertTrue(room.encrypted());
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    SdkUsers.Inbox carolIn = new SdkUsers.Inbox();
    bob.subscribe(room.id(), 0, bobIn);
    carol.subscribe(room.id(), 0, carolIn);
    alice.send(room.id(), "the plan");
    bob.send(room.id(), "agreed");
    for (SdkUsers.Inbox in : List.of(bobIn, carolIn)) {
      in.nextEvent(RoomEvent.ROOM_CREATED);
      in.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
      List<ChatMessage> got = in.nextMessages(2);
      assertEquals(List.of("the plan", "agreed"), texts(got));
      assertTrue(got.stream().allMatch(m -> m.encrypted() && m.verified()));
      assertEquals(alice.user(), got.get(0).sender());
    }
    JsonArray all = stored(alice.user().username(), room.id());
    assertEquals(List.of(RoomEvent.ROOM_CREATED, RoomEvent.ENCRYPTION_ENABLED), eventTypes(all));
    JsonArray raw = new JsonArray(all.stream().filter(o -> !((JsonObject) o).containsKey("event"))
        .collect(Collectors.toList()));
    assertEquals(2, raw.size());
    String kid = alice.room(room.id()).e2eKeyId();
    assertNotNull(kid);
    for (int i = 0; i < raw.size(); i++) {
      JsonObject m = raw.getJsonObject(i);
      assertNull(m.getValue("text"));
      assertEquals(kid, m.getJsonObject("e2e").getString("kid"));
      assertEquals(86, m.getJsonObject("e2e").getString("sig").length());
    }
  }

  @Test
  void aMemberWhoSetsKeysLaterGetsTheKeyFromAnOnlineMemberAndReadsTheHistory() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient dave = users.newClient("dave");
    Room room = alice.createRoom(NewRoom.privateGroup("later", dave.user().username()).encrypted(true));
    long head = alice.room(room.id()).head();
    alice.send(room.id(), "one");
    alice.send(room.id(), "two");
    SdkUsers.Inbox daveIn = new SdkUsers.Inbox();
    dave.subscribe(room.id(), 0, daveIn);
    daveIn.nextEvent(RoomEvent.ROOM_CREATED);
    daveIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    assertNull(daveIn.poll(300), "nothing can be read without keys");
    dave.e2e().setup();
    List<ChatMessage> got = daveIn.nextMessages(2);
    assertEquals(List.of("one", "two"), texts(got));
    assertEquals(List.of(head + 1, head + 2), got.stream().map(ChatMessage::seq).collect(Collectors.toList()));
    assertTrue(got.stream().allMatch(ChatMessage::verified));
    dave.send(room.id(), "three");
    SdkUsers.Inbox aliceIn = new SdkUsers.Inbox();
    alice.subscribe(room.id(), head + 2, aliceIn);
    assertEquals("three", aliceIn.nextMessage().text());
  }

  @Test
  void messagesWaitingForTheirKeyKeepTheirPlaceInTheOrder() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient erin = users.newClient("erin");
    Room room = alice.createRoom(NewRoom.privateGroup("order", erin.user().username()).encrypted(false));
    SdkUsers.Inbox erinIn = new SdkUsers.Inbox();
    erin.subscribe(room.id(), 0, erinIn);
    erinIn.nextEvent(RoomEvent.ROOM_CREATED);
    alice.send(room.id(), "plain before");
    assertEquals("plain before", erinIn.nextMessage().text());
    alice.setEncrypted(room.id(), true);
    alice.send(room.id(), "sealed 1");
    alice.send(room.id(), "sealed 2");
    erinIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    assertNull(erinIn.poll(300), "held until the key arrives");
    java.util.concurrent.CompletableFuture<Ack> racing = alice.sendAsync(room.id(), "sealed 3");
    erin.e2e().setup();
    racing.get();
    assertEquals(List.of("sealed 1", "sealed 2", "sealed 3"), texts(erinIn.nextMessages(3)));
    assertNull(erinIn.poll(200));
  }

  @Test
  void aSealedMessageInARoomTurnedBackToPlainIsDeliveredUnreadable() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient gil = users.newClient("gil");
    Room room = alice.createRoom(NewRoom.privateGroup("back", gil.user().username()).encrypted(true));
    alice.send(room.id(), "sealed");
    alice.setEncrypted(room.id(), false);
    alice.send(room.id(), "plain");
    gil.e2e().setup();
    SdkUsers.Inbox gilIn = new SdkUsers.Inbox();
    gil.subscribe(room.id(), 0, gilIn);
    gilIn.nextEvent(RoomEvent.ROOM_CREATED);
    gilIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    ChatMessage sealed = gilIn.nextMessage();
    assertTrue(sealed.encrypted());
    assertNull(sealed.text());
    assertNull(sealed.verification());
    assertEquals(ChatMessage.State.KEY_LOST, sealed.state(), "nobody hands out the key of a room no longer encrypted");
    assertEquals(alice.user(), gilIn.nextEvent(RoomEvent.ENCRYPTION_DISABLED).sender());
    assertEquals("plain", gilIn.nextMessage().text());
  }

  @Test
  void theOwnerConvertsARoomAndOthersMayNot() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("convert", bob.user().username()).encrypted(false));
    SealroomException refused = assertThrows(SealroomException.class, () -> bob.setEncrypted(room.id(), true));
    assertEquals("not_owner", refused.code());
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    bob.subscribe(room.id(), 0, bobIn);
    bobIn.nextEvent(RoomEvent.ROOM_CREATED);
    alice.send(room.id(), "in the clear");
    assertTrue(alice.setEncrypted(room.id(), true).encrypted());
    alice.send(room.id(), "sealed now");
    ChatMessage clear = bobIn.nextMessage();
    assertEquals(alice.user(), bobIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED).sender());
    List<ChatMessage> got = List.of(clear, bobIn.nextMessage());
    assertEquals(List.of("in the clear", "sealed now"), texts(got));
    assertEquals(List.of(false, true), got.stream().map(ChatMessage::encrypted).collect(Collectors.toList()));
    assertEquals(Envelope.Verification.VERIFIED, got.get(1).verification());
    Room channel = alice.createRoom(NewRoom.channel("open-" + System.nanoTime()));
    assertEquals("encryption_not_allowed",
        assertThrows(SealroomException.class, () -> alice.setEncrypted(channel.id(), true)).code());
  }

  @Test
  void sendingIntoAnEncryptedRoomNeedsUnlockedKeys() {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient frank = users.newClient("frank");
    Room room = alice.createRoom(NewRoom.privateGroup("locked", frank.user().username()).encrypted(true));
    assertEquals("e2e_locked", assertThrows(SealroomException.class, () -> frank.send(room.id(), "x")).code());
  }

  @Test
  void aSendRightAfterTheOtherOwnerEncryptedADirectMessageIsEncrypted() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room dm = alice.createRoom(NewRoom.direct(bob.user().username()).encrypted(false));
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    bob.subscribe(dm.id(), 0, bobIn);
    bobIn.nextEvent(RoomEvent.ROOM_CREATED);
    alice.send(dm.id(), "plain");
    bob.setEncrypted(dm.id(), true);
    alice.send(dm.id(), "sealed");
    ChatMessage plain = bobIn.nextMessage();
    assertEquals(bob.user(), bobIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED).sender());
    List<ChatMessage> got = List.of(plain, bobIn.nextMessage());
    assertEquals(List.of("plain", "sealed"), texts(got));
    assertTrue(got.get(1).encrypted() && got.get(1).verified());
  }

  @Test
  void aSendGivesUpWhenNoKeyHolderIsThereToHandTheKeyOver() {
    SealroomClient alice = users.newE2eClient("alice");
    String hankName = users.newAccount("hank");
    Room room = alice.createRoom(NewRoom.privateGroup("alone", hankName).encrypted(true));
    alice.send(room.id(), "establishes the key");
    alice.close();
    SealroomClient hank = users.login(hankName, SdkUsers.options().withKeyTimeout(java.time.Duration.ofMillis(800)));
    hank.e2e().setup();
    assertEquals("key_timeout", assertThrows(SealroomException.class, () -> hank.send(room.id(), "x")).code());
  }
}
