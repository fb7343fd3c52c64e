package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's own E2E keys through the SDK: setup, unlock on another device, password change, reset. */
class SdkE2eKeysIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  @Test
  void setupStoresTheKeysAndReturnsASevenWordPassword() {
    SealroomClient c = users.newClient("ann");
    assertEquals(new E2eStatus(true, false, false), c.e2e().status());
    String password = c.e2e().setup();
    assertEquals(7, password.split(" ").length);
    assertEquals(new E2eStatus(true, true, true), c.e2e().status());
    assertEquals("keys_exist", assertThrows(SealroomException.class, () -> c.e2e().setup()).code());
  }

  @Test
  void aSecondDeviceUnlocksWithTheRightPasswordAndNotWithAWrongOne() {
    String name = users.newAccount("ann");
    String password = users.login(name).e2e().setup();
    SealroomClient device2 = users.login(name);
    assertFalse(device2.e2e().isUnlocked());
    WrongE2ePasswordException wrong = assertThrows(WrongE2ePasswordException.class,
        () -> device2.e2e().unlock(password + " extra"));
    assertEquals("wrong_e2e_password", wrong.code());
    assertFalse(device2.e2e().isUnlocked());
    device2.e2e().unlock(password);
    assertTrue(device2.e2e().isUnlocked());
  }

  @Test
  void afterAPasswordChangeOnlyTheNewPasswordUnlocks() {
    String name = users.newAccount("ann");
    SealroomClient device1 = users.login(name);
    String first = device1.e2e().setup();
    String second = device1.e2e().changePassword();
    SealroomClient device2 = users.login(name);
    assertThrows(WrongE2ePasswordException.class, () -> device2.e2e().unlock(first));
    device2.e2e().unlock(second);
    device1.e2e().changePassword("correct horse battery staple");
    SealroomClient device3 = users.login(name);
    assertThrows(WrongE2ePasswordException.class, () -> device3.e2e().unlock(second));
    device3.e2e().unlock("correct horse battery staple");
    assertTrue(device3.e2e().isUnlocked());
  }

  @Test
  void unlockingWithoutKeysAndChangingWhileLockedAreRefused() {
    SealroomClient c = users.newClient("ann");
    assertEquals("no_keys", assertThrows(SealroomException.class, () -> c.e2e().unlock("any words")).code());
    assertEquals("e2e_locked", assertThrows(SealroomException.class, () -> c.e2e().changePassword()).code());
  }

  @Test
  void aResetEndsTheOtherSessionsAndThisOneCarriesOn() throws Exception {
    String name = users.newAccount("ann");
    CompletableFuture<String> ended = new CompletableFuture<>();
    SealroomClient other = users.login(name, SdkUsers.options().withListener(new ClientListener() {
      @Override
      public void onSessionEnded(String reason) {
        ended.complete(reason);
      }
    }));
    SealroomClient self = users.login(name);
    other.e2e().unlock(self.e2e().setup());
    Room room = self.createRoom(NewRoom.privateGroup("mine").encrypted(false));
    String firstUkid = self.e2e().ukid();

    self.e2e().reset(SdkUsers.password(name));
    assertEquals(ClientListener.KEY_RESET, ended.get(10, TimeUnit.SECONDS), "the other session hears why");
    assertEquals(ConnectionState.SESSION_ENDED, other.state());
    assertEquals("unauthorized", assertThrows(SealroomException.class, other::rooms).code());
    assertEquals("session_ended", assertThrows(SealroomException.class, () -> other.send(room.id(), "x")).code());

    SdkUsers.eventually(() -> self.state() == ConnectionState.READY, "the resetting session reconnects");
    assertEquals(new E2eStatus(true, false, false), self.e2e().status());
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    self.subscribe(room.id(), 0, inbox);
    inbox.nextEvent(RoomEvent.ROOM_CREATED);
    self.send(room.id(), "still here");
    assertEquals("still here", inbox.nextMessage().text());
    self.e2e().setup();
    assertTrue(self.e2e().status().hasKeys());
    ChatMessage changed = inbox.nextEvent(RoomEvent.USER_KEYS_CHANGED);
    assertEquals(self.user(), changed.event().user(), "the room hears of the new keys");
    assertEquals(self.e2e().ukid(), changed.event().ukid());
    assertTrue(!firstUkid.equals(self.e2e().ukid()), "the new keys are a new version");
  }
}
