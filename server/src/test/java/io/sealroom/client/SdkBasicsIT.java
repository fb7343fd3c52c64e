package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts, rooms, plain-text messaging and resume through the SDK against a real node. */
class SdkBasicsIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  @Test
  void registersLogsInAndConnectsWithAToken() {
    String name = users.newAccount("ann");
    SealroomClient c = users.login(name);
    assertEquals(name, c.user().username());
    assertEquals(ConnectionState.READY, c.state());
    SealroomException dup = assertThrows(SealroomException.class,
        () -> SealroomClient.register(users.url(), name, "another-password"));
    assertEquals("username_taken", dup.code());
    SealroomException bad = assertThrows(SealroomException.class,
        () -> SealroomClient.login(users.url(), name, "wrong-password", SdkUsers.options()));
    assertEquals("invalid_credentials", bad.code());
    SealroomException badToken = assertThrows(SealroomException.class,
        () -> SealroomClient.connect(users.url(), "not-a-token", SdkUsers.options()));
    assertEquals("unauthorized", badToken.code());
  }

  @Test
  void plainMessagesArriveInOrderOnceWithTheirSender() throws Exception {
    SealroomClient alice = users.newClient("alice");
    SealroomClient bob = users.newClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("plain", bob.user().username()).encrypted(false));
    assertEquals(2, room.members().size());
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), 0, inbox);
    ChatMessage created = inbox.nextEvent(RoomEvent.ROOM_CREATED);
    assertEquals(1, created.seq(), "a room's history starts with its creation");
    assertEquals(alice.user(), created.sender());
    long last = created.seq();
    for (int i = 1; i <= 3; i++) {
      Ack ack = alice.send(room.id(), "hello " + i);
      assertEquals(last + 1, ack.seq());
      last = ack.seq();
    }
    List<ChatMessage> got = inbox.nextMessages(3);
    assertEquals(List.of("hello 1", "hello 2", "hello 3"), got.stream().map(ChatMessage::text).collect(Collectors.toList()));
    ChatMessage m = got.get(0);
    assertEquals(alice.user(), m.sender());
    assertFalse(m.encrypted());
    assertNull(m.verification());
    assertTrue(m.readable());
  }

  @Test
  void resumesAfterTheSocketDropsWithoutLossOrDuplicates() throws Exception {
    SealroomClient alice = users.newClient("alice");
    String bobName = users.newAccount("bob");
    List<String> events = new CopyOnWriteArrayList<>();
    ClientListener listener = new ClientListener() {
      @Override
      public void onConnected(User user) {
        events.add("up");
      }

      @Override
      public void onDisconnected(int code, String reason) {
        events.add("down");
      }
    };
    SealroomClient bob = users.login(bobName, SdkUsers.options().withListener(listener)
        .withReconnect(Duration.ofMillis(800), Duration.ofSeconds(2)));
    Room room = alice.createRoom(NewRoom.privateGroup("resume", bobName).encrypted(false));
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    Subscription sub = bob.subscribe(room.id(), inbox);
    alice.send(room.id(), "before");
    assertEquals("before", inbox.next().text());

    bob.dropConnection();
    SdkUsers.eventually(() -> bob.state() != ConnectionState.READY, "bob noticed the drop");
    for (int i = 0; i < 5; i++) {
      alice.send(room.id(), "while away " + i);
    }
    List<ChatMessage> got = inbox.next(5);
    for (int i = 0; i < 5; i++) {
      assertEquals("while away " + i, got.get(i).text());
      assertEquals(got.get(0).seq() + i, got.get(i).seq());
    }
    assertNull(inbox.poll(300), "nothing twice");
    assertEquals(got.get(4).seq(), sub.lastSeq());
    SdkUsers.eventually(() -> events.equals(List.of("up", "down", "up")), "listener saw " + events);
  }

  @Test
  void aSendMadeWhileDisconnectedIsDeliveredOnceAfterTheReconnect() throws Exception {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName, SdkUsers.options()
        .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(1)));
    SealroomClient bob = users.newClient("bob");
    Room room = alice.createRoom(NewRoom.privateGroup("retry", bob.user().username()).encrypted(false));
    long head = alice.room(room.id()).head();
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    bob.subscribe(room.id(), head, inbox);
    alice.dropConnection();
    CompletableFuture<Ack> ack = alice.sendAsync(room.id(), "queued");
    assertEquals(head + 1, ack.get().seq());
    assertEquals("queued", inbox.nextMessage().text());
    assertNull(inbox.poll(300));
  }

  @Test
  void roomsCanBeListedChangedAndLeft() throws Exception {
    SealroomClient alice = users.newClient("alice");
    SealroomClient bob = users.newClient("bob");
    SealroomClient carol = users.newClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("ops"));
    assertEquals("owner", room.role());
    assertEquals(RoomType.PRIVATE, room.type());
    assertEquals(bob.user(), alice.findUser(bob.user().username()).orElseThrow());
    assertTrue(alice.findUser("nobody-" + System.nanoTime()).isEmpty());
    assertEquals(2, alice.addMember(room.id(), bob.user().username()).members().size());
    assertEquals("ops2", alice.rename(room.id(), "ops2").name());
    assertTrue(bob.rooms().stream().anyMatch(r -> r.id().equals(room.id())));
    SealroomException notOwner = assertThrows(SealroomException.class,
        () -> bob.addMember(room.id(), carol.user().username()));
    assertEquals("not_owner", notOwner.code());
    assertEquals(403, notOwner.status());
    assertEquals("not_member", assertThrows(SealroomException.class, () -> carol.room(room.id())).code());
    bob.leave(room.id());
    assertFalse(bob.rooms().stream().anyMatch(r -> r.id().equals(room.id())));
    Room dm = alice.createRoom(NewRoom.direct(carol.user().username()));
    assertEquals(dm.id(), carol.createRoom(NewRoom.direct(alice.user().username())).id());
  }

  @Test
  void aRemovedMembersSubscriptionEndsAndTheListenerHearsWhoRemovedThem() throws Exception {
    SealroomClient alice = users.newClient("alice");
    String bobName = users.newAccount("bob");
    CompletableFuture<String> ended = new CompletableFuture<>();
    java.util.concurrent.BlockingQueue<Removal> removals = new java.util.concurrent.LinkedBlockingQueue<>();
    List<String> changed = new CopyOnWriteArrayList<>();
    SealroomClient bob = users.login(bobName, SdkUsers.options().withListener(new ClientListener() {
      @Override
      public void onSubscriptionEnded(String roomId, String code) {
        ended.complete(code);
      }

      @Override
      public void onRemoved(Room room, Removal removal) {
        removals.add(removal);
      }

      @Override
      public void onRoomChanged(Room room) {
        changed.add(room.id());
      }
    }));
    Room room = alice.createRoom(NewRoom.privateGroup("kick", bobName).encrypted(false));
    Subscription sub = bob.subscribe(room.id(), new SdkUsers.Inbox());
    alice.removeMember(room.id(), bob.user().id());
    assertEquals("not_member", ended.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertFalse(sub.isActive());
    assertEquals(new Removal(Removal.Reason.REMOVED, alice.user()), removals.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("not_member", assertThrows(SealroomException.class, () -> bob.send(room.id(), "x")).code());

    Room second = alice.createRoom(NewRoom.privateGroup("walk", bobName).encrypted(false));
    bob.leave(second.id());
    Removal left = removals.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(new Removal(Removal.Reason.LEFT, bob.user()), left);
    assertTrue(left.left());
    assertNull(removals.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS));
    assertFalse(changed.isEmpty(), "bob heard of the rooms he was added to");
    int before = changed.size();
    Room third = alice.createRoom(NewRoom.privateGroup("again", bobName).encrypted(false));
    alice.removeMember(third.id(), bob.user().id());
    assertEquals(Removal.Reason.REMOVED, removals.poll(10, java.util.concurrent.TimeUnit.SECONDS).reason());
    assertEquals(before + 1, changed.size(), "a removal is not a change of a room bob belongs to: " + changed);
  }

  /** The next entry; it must come right after {@code previous}. */
  static ChatMessage after(ChatMessage previous, SdkUsers.Inbox in) throws InterruptedException {
    ChatMessage m = in.next();
    assertEquals(previous.seq() + 1, m.seq(), "gap-free seqs across messages and events: " + m);
    return m;
  }

  @Test
  void eventsArriveInOrderWithMessagesLiveAndOnResume() throws Exception {
    SealroomClient alice = users.newClient("alice");
    String bobName = users.newAccount("bob");
    SealroomClient bob = users.login(bobName, SdkUsers.options().withReconnect(Duration.ofMillis(800), Duration.ofSeconds(2)));
    SealroomClient carol = users.newClient("carol");
    Room room = alice.createRoom(NewRoom.privateGroup("timeline", bobName).encrypted(false));
    SdkUsers.Inbox in = new SdkUsers.Inbox();
    Subscription sub = bob.subscribe(room.id(), 0, in);
    ChatMessage m = in.nextEvent(RoomEvent.ROOM_CREATED);
    alice.send(room.id(), "one");
    alice.addMember(room.id(), carol.user().username());
    alice.rename(room.id(), "timeline-2");
    alice.send(room.id(), "two");
    m = after(m, in);
    assertEquals("one", m.text());
    m = after(m, in);
    assertEquals(RoomEvent.MEMBER_ADDED, m.event().type());
    assertEquals(carol.user(), m.event().user());
    assertEquals(alice.user(), m.sender());
    long beforeAdded = m.seq() - 1;
    m = after(m, in);
    assertEquals("timeline-2", m.event().name());
    m = after(m, in);
    assertEquals("two", m.text());

    bob.dropConnection();
    SdkUsers.eventually(() -> bob.state() != ConnectionState.READY, "bob noticed the drop");
    alice.send(room.id(), "three");
    carol.leave(room.id());
    alice.send(room.id(), "four");
    m = after(m, in);
    assertEquals("three", m.text());
    m = after(m, in);
    assertEquals(RoomEvent.MEMBER_LEFT, m.event().type());
    assertEquals(carol.user(), m.event().user());
    assertEquals(carol.user(), m.sender());
    m = after(m, in);
    assertEquals("four", m.text());
    assertNull(in.poll(300), "nothing twice");
    assertEquals(m.seq(), sub.lastSeq());

    // a new subscription from an earlier point replays both kinds, in order
    SdkUsers.Inbox replay = new SdkUsers.Inbox();
    users.login(bobName).subscribe(room.id(), beforeAdded, replay);
    List<String> seen = replay.next(6).stream().map(x -> x.isEvent() ? x.event().type() : x.text())
        .collect(Collectors.toList());
    assertEquals(List.of(RoomEvent.MEMBER_ADDED, RoomEvent.ROOM_RENAMED, "two", "three", RoomEvent.MEMBER_LEFT, "four"),
        seen);
  }
}
