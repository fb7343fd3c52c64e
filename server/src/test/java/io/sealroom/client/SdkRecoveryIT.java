package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Room key recovery through the SDK, and the refusal to turn encryption off. */
class SdkRecoveryIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  /** The events of type key.rotated in the room's stored history. */
  static List<JsonObject> rotations(String username, String rid) {
    String token = users.node.api().login(username, SdkUsers.password(username)).json().getString("token");
    JsonArray all = users.node.api().get("/api/v1/rooms/" + rid + "/messages?after=0&limit=200", token).json()
        .getJsonArray("messages");
    return all.stream().map(o -> ((JsonObject) o).getJsonObject("event"))
        .filter(e -> e != null && RoomEvent.KEY_ROTATED.equals(e.getString("type"))).collect(Collectors.toList());
  }

  @Test
  void aSoleMembersRoomRecoversAfterTheirResetAndALaterMemberReadsWhatFollows() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName);
    alice.e2e().setup();
    Room room = alice.createRoom(NewRoom.privateGroup("solo").encrypted(true));
    alice.send(room.id(), "before the reset");
    String oldKid = alice.room(room.id()).e2eKeyId();
    assertEquals(List.of(alice.user().id()), alice.room(room.id()).keyHolders());

    alice.e2e().reset(SdkUsers.password(aliceName));
    assertTrue(alice.room(room.id()).keyLost(), "nobody holds the key now");
    alice.e2e().setup();
    SdkUsers.Inbox in = new SdkUsers.Inbox();
    alice.subscribe(room.id(), 0, in); // opening the room recovers it, unasked
    in.nextEvent(RoomEvent.ROOM_CREATED);
    in.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    ChatMessage lost = in.nextMessage();
    assertEquals(ChatMessage.State.KEY_LOST, lost.state(), "lost, not waiting: " + lost);
    assertTrue(lost.keyLost() && lost.encrypted() && lost.text() == null);
    in.nextEvent(RoomEvent.USER_KEYS_CHANGED);
    ChatMessage recovered = in.nextEvent(RoomEvent.KEY_ROTATED);
    assertEquals(RoomEvent.REASON_RECOVERED, recovered.event().reason());
    assertEquals(alice.user(), recovered.sender());
    Room now = alice.room(room.id());
    assertNotEquals(oldKid, now.e2eKeyId());
    assertEquals(now.e2eKeyId(), recovered.event().kid());
    assertEquals(List.of(alice.user().id()), now.keyHolders());

    alice.send(room.id(), "after the recovery");
    assertTrue(in.nextMessage().verified());
    SealroomClient bob = users.newE2eClient("bob");
    alice.addMember(room.id(), bob.user().username());
    SdkUsers.Inbox bobIn = new SdkUsers.Inbox();
    bob.subscribe(room.id(), 0, bobIn);
    bobIn.nextEvent(RoomEvent.ROOM_CREATED);
    bobIn.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
    assertEquals(ChatMessage.State.KEY_LOST, bobIn.nextMessage().state());
    bobIn.nextEvent(RoomEvent.USER_KEYS_CHANGED);
    bobIn.nextEvent(RoomEvent.KEY_ROTATED);
    ChatMessage after = bobIn.nextMessage();
    assertEquals("after the recovery", after.text());
    assertTrue(after.verified());
    assertEquals(bob.user(), bobIn.nextEvent(RoomEvent.MEMBER_ADDED).event().user());
    assertNull(bobIn.poll(300));
    assertEquals(1, rotations(aliceName, room.id()).size(), "bob, holding the key from alice, did not rotate");
  }

  @Test
  void twoMembersRecoveringAtOnceEndWithOneNewKeyAndReadEachOther() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName);
    alice.e2e().setup();
    SealroomClient bob = users.newClient("bob");
    SealroomClient carol = users.newClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("pair", bob.user().username(), carol.user().username())
        .encrypted(true));
    alice.send(room.id(), "only alice ever held this key");
    alice.e2e().reset(SdkUsers.password(aliceName));
    bob.e2e().setup();
    carol.e2e().setup();
    assertTrue(bob.room(room.id()).keyLost());

    List<SealroomClient> both = List.of(bob, carol);
    List<SdkUsers.Inbox> inboxes = List.of(new SdkUsers.Inbox(), new SdkUsers.Inbox());
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SealroomClient c = both.get(i);
      SdkUsers.Inbox in = inboxes.get(i);
      acks.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        c.subscribe(room.id(), 0, in);
        return c.send(room.id(), "from " + c.user().username());
      }));
    }
    go.countDown();
    for (CompletableFuture<Ack> a : acks) {
      a.get();
    }
    List<JsonObject> rotations = rotations(aliceName, room.id());
    assertEquals(1, rotations.size(), "one member won the recovery: " + rotations);
    assertEquals(RoomEvent.REASON_RECOVERED, rotations.get(0).getString("reason"));
    String kid = bob.room(room.id()).e2eKeyId();
    assertEquals(kid, rotations.get(0).getString("kid"));
    for (SdkUsers.Inbox in : inboxes) {
      in.nextEvent(RoomEvent.ROOM_CREATED);
      in.nextEvent(RoomEvent.ENCRYPTION_ENABLED);
      assertEquals(ChatMessage.State.KEY_LOST, in.nextMessage().state());
      in.nextEvent(RoomEvent.KEY_ROTATED);
      List<ChatMessage> got = in.nextMessages(2);
      assertEquals(java.util.Set.of("from " + bob.user().username(), "from " + carol.user().username()),
          got.stream().map(ChatMessage::text).collect(Collectors.toSet()));
      assertTrue(got.stream().allMatch(ChatMessage::verified));
    }
    SdkUsers.eventually(() -> bob.room(room.id()).keyHolders().size() == 2, "the loser holds the winner's key");
  }

  @Test
  void turningEncryptionOffIsRefusedWithEncryptionRequired() {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    Room dm = alice.createRoom(NewRoom.direct(bob.user().username()).encrypted(true));
    SealroomException refused = assertThrows(SealroomException.class, () -> alice.setEncrypted(dm.id(), false));
    assertEquals("encryption_required", refused.code());
    assertEquals(403, refused.status());
    assertTrue(alice.room(dm.id()).encrypted(), "still encrypted");
  }
}
