package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a server with e2e.enabled false the SDK says so, refuses E2E with e2e_disabled, and plain rooms work. */
class SdkE2eDisabledIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers(Map.of("e2e.enabled", false));

  @Test
  void e2eIsRefusedAndPlainRoomsWork() throws Exception {
    SealroomClient ann = users.newClient("ann");
    SealroomClient ben = users.newClient("ben");
    assertFalse(ann.e2e().status().enabled());
    assertEquals("e2e_disabled", assertThrows(SealroomException.class, () -> ann.e2e().setup()).code());
    assertEquals("e2e_disabled", assertThrows(SealroomException.class,
        () -> ann.createRoom(NewRoom.privateGroup("secret", ben.user().username()).encrypted(true))).code());
    Room room = ann.createRoom(NewRoom.privateGroup("plain", ben.user().username()));
    assertFalse(room.encrypted());
    assertEquals("e2e_disabled", assertThrows(SealroomException.class,
        () -> ann.setEncrypted(room.id(), true)).code());
    SdkUsers.Inbox inbox = new SdkUsers.Inbox();
    ben.subscribe(room.id(), inbox);
    ann.send(room.id(), "hello in the clear");
    ChatMessage m = inbox.next();
    assertEquals("hello in the clear", m.text());
    assertFalse(m.encrypted());
  }
}
