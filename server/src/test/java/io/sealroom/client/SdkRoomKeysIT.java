package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Room keys through the SDK: a race to establish the first key, and rotation after a removal. */
class SdkRoomKeysIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  static String token(String username) {
    return users.node.api().login(username, SdkUsers.password(username)).json().getString("token");
  }

  @Test
  void fiveClientsRacingToEstablishTheKeyEndWithOneKeyAndReadEachOther() throws Exception {
    List<SealroomClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(users.newE2eClient("racer" + i));
    }
    String[] others = clients.subList(1, 5).stream().map(c -> c.user().username()).toArray(String[]::new);
    Room room = clients.get(0).createRoom(NewRoom.privateGroup("race", others).encrypted(true));
    assertNull(room.e2eKeyId());
    List<SdkUsers.Inbox> inboxes = new ArrayList<>();
    for (SealroomClient c : clients) {
      SdkUsers.Inbox in = new SdkUsers.Inbox();
      inboxes.add(in);
      c.subscribe(room.id(), 0, in);
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Ack>> acks = new ArrayList<>();
    for (SealroomClient c : clients) {
      acks.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return c.send(room.id(), "from " + c.user().username());
      }));
    }
    go.countDown();
    for (CompletableFuture<Ack> a : acks) {
      assertNotNull(a.get());
    }
    Set<String> expected = clients.stream().map(c -> "from " + c.user().username()).collect(Collectors.toSet());
    for (SdkUsers.Inbox in : inboxes) {
      in.nextEvent(RoomEvent.ROOM_CREATED);
      in.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
      List<ChatMessage> got = in.nextMessages(5);
      assertEquals(expected, got.stream().map(ChatMessage::text).collect(Collectors.toSet()));
      assertTrue(got.stream().allMatch(ChatMessage::verified));
    }
    String kid = clients.get(0).room(room.id()).e2eKeyId();
    Api api = users.node.api();
    Set<String> kids = new HashSet<>();
    for (SealroomClient c : clients) {
      JsonObject own = api.get("/api/v1/rooms/" + room.id() + "/e2e/key", token(c.user().username())).json();
      kids.add(own.getString("kid")); // a losing establisher's own key stays, unused, in its history
    }
    assertEquals(Set.of(kid), kids);
    JsonArray stored = api.get("/api/v1/rooms/" + room.id() + "/messages", token(clients.get(0).user().username()))
        .json().getJsonArray("messages");
    assertEquals(7, stored.size(), "two events and five messages");
    for (int i = 2; i < stored.size(); i++) {
      assertEquals(kid, stored.getJsonObject(i).getJsonObject("e2e").getString("kid"));
    }
  }

  @Test
  void aRemovalRotatesTheKeySoTheRemovedMemberCannotReadWhatFollows() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    List<Room> bobSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    SealroomClient bob = users.login(users.newAccount("bob"), SdkUsers.options().withListener(new ClientListener() {
      @Override
      public void onRoomChanged(Room r) {
        bobSaw.add(r);
      }
    }));
    bob.e2e().setup();
    SealroomClient carol = users.newE2eClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("rotate", bob.user().username(), carol.user().username())
        .encrypted(true));
    SdkUsers.Inbox aliceIn = new SdkUsers.Inbox();
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    SdkUsers.Inbox carolIn = new SdkUsers.Inbox();
    alice.subscribe(room.id(), 0, aliceIn);
    bob.subscribe(room.id(), 0, bobIn);
    Subscription carolSub = carol.subscribe(room.id(), 0, carolIn);
    alice.send(room.id(), "all three");
    for (SdkUsers.Inbox in : List.of(aliceIn, bobIn, carolIn)) {
      in.nextEvent(RoomEvent.ROOM_CREATED);
      in.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
      assertEquals("all three", in.nextMessage().text());
    }
    String oldKid = alice.room(room.id()).e2eKeyId();

    alice.removeMember(room.id(), carol.user().id());
    SdkUsers.eventually(() -> {
      Room r = bob.room(room.id());
      return !r.rotationDue() && !oldKid.equals(r.e2eKeyId()) && Boolean.TRUE.equals(r.hasKey());
    }, "rotated and handed over");
    String newKid = bob.room(room.id()).e2eKeyId();
    SdkUsers.eventually(() -> bobSaw.stream().anyMatch(r -> r.rotationDue() && oldKid.equals(r.e2eKeyId())),
        "rotationDue announced");
    SdkUsers.eventually(() -> bobSaw.stream().anyMatch(r -> !r.rotationDue() && newKid.equals(r.e2eKeyId())),
        "rotation announced");
    assertNotEquals(oldKid, newKid);
    SdkUsers.eventually(() -> !carolSub.isActive(), "carol's subscription ended");

    JsonObject stale = new JsonObject().put("cid", "stale-1").put("e2e", new JsonObject().put("kid", oldKid)
        .put("iv", "AAAAAAAAAAAAAAAA").put("ct", "AAAAAAAAAAAAAAAAAAAAAA"));
    Api.Res refused = users.node.api().post("/api/v1/rooms/" + room.id() + "/messages",
        token(bob.user().username()), stale);
    assertEquals(409, refused.status());
    assertEquals("stale_key", refused.errorCode());
    assertEquals(newKid, refused.json().getJsonObject("error").getString("kid"));

    bob.send(room.id(), "after carol left");
    ChatMessage removed = aliceIn.nextEvent(RoomEvent.MEMBER_REMOVED);
    assertEquals(carol.user(), removed.event().user());
    assertEquals(alice.user(), removed.sender());
    ChatMessage rotated = aliceIn.nextEvent(RoomEvent.KEY_ROTATED);
    assertEquals(newKid, rotated.event().kid());
    assertEquals(RoomEvent.REASON_MEMBER_REMOVED, rotated.event().reason());
    ChatMessage m = aliceIn.nextMessage();
    assertEquals("after carol left", m.text());
    assertTrue(m.verified());
    // the event of her own removal may reach carol before her subscription ends; nothing after it does
    ChatMessage last = carolIn.poll(300);
    if (last != null) {
      assertEquals(removed.seq(), last.seq(), "carol gets nothing after her removal: " + last);
      assertNull(carolIn.poll(300), "carol gets nothing after her removal");
    }
    Api.Res carolKey = users.node.api().get("/api/v1/rooms/" + room.id() + "/e2e/key", token(carol.user().username()));
    assertEquals("not_member", carolKey.errorCode());
    Api.Res aliceKeys = users.node.api().get("/api/v1/rooms/" + room.id() + "/e2e/key", token(alice.user().username()));
    assertEquals(newKid, aliceKeys.json().getString("kid"));
    assertEquals(oldKid, aliceKeys.json().getJsonArray("old").getJsonObject(0).getString("kid"));
    assertFalse(alice.room(room.id()).rotationDue());
  }

  @Test
  void historyUnderAnOldKeyStaysReadableAfterARotation() throws Exception {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    SealroomClient dan = users.newE2eClient("dan");
    Room room = alice.createRoom(NewRoom.privateGroup("history", bob.user().username(), dan.user().username())
        .encrypted(true));
    alice.subscribe(room.id(), new SdkUsers.Inbox());
    alice.send(room.id(), "old key");
    alice.removeMember(room.id(), dan.user().id());
    SdkUsers.eventually(() -> !alice.room(room.id()).rotationDue(), "rotated");
    alice.send(room.id(), "new key");
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    bob.subscribe(room.id(), 0, bobIn);
    bobIn.nextEvent(RoomEvent.ROOM_CREATED);
    bobIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    ChatMessage old = bobIn.nextMessage();
    bobIn.nextEvent(RoomEvent.MEMBER_REMOVED);
    bobIn.nextEvent(RoomEvent.KEY_ROTATED);
    List<ChatMessage> got = List.of(old, bobIn.nextMessage());
    assertEquals(List.of("old key", "new key"), got.stream().map(ChatMessage::text).collect(Collectors.toList()));
  }

  @Test
  void aHolderWhoWasAwayHandsTheKeyOverWhenItComesBack() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName);
    String password = alice.e2e().setup();
    SealroomClient dave = users.newClient("dave");
    Room room = alice.createRoom(NewRoom.privateGroup("away", dave.user().username()).encrypted(true));
    alice.send(room.id(), "while you were out");
    alice.close();
    dave.e2e().setup();
    SdkUsers.Inbox daveIn = new SdkUsers.Inbox();
    dave.subscribe(room.id(), 0, daveIn);
    daveIn.nextEvent(RoomEvent.ROOM_CREATED);
    daveIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    assertNull(daveIn.poll(300), "no holder online");
    SealroomClient aliceAgain = users.login(aliceName);
    aliceAgain.e2e().unlock(password);
    ChatMessage m = daveIn.nextMessage();
    assertEquals("while you were out", m.text());
    assertTrue(m.verified());
  }
}
