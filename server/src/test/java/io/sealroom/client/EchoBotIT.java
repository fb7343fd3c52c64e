package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.examples.EchoBot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example bot echoes in encrypted and plain rooms, including rooms it joins while running. */
class EchoBotIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  /** A bot account with E2E set up beforehand; returns its E2E password. */
  static String botWithKeys(String name) {
    try (SealroomClient setup = SealroomClient.login(users.url(), name, SdkUsers.password(name), SdkUsers.options())) {
      return setup.e2e().setup();
    }
  }

  @Test
  void echoesEncryptedMessagesEncryptedAndSigned() throws Exception {
    String botName = users.newAccount("echo");
    String e2ePassword = botWithKeys(botName);
    SealroomClient alice = users.newE2eClient("alice");
    Room before = alice.createRoom(NewRoom.privateGroup("sealed", botName).encrypted(true));
    try (EchoBot bot = EchoBot.start(users.url(), botName, SdkUsers.password(botName), e2ePassword, SdkUsers.options())) {
      assertTrue(bot.client().e2e().isUnlocked());
      SdkUsers.Inbox inbox = new SdkUsers.Inbox();
      alice.subscribe(before.id(), inbox);
      alice.send(before.id(), "marco");
      assertEquals("marco", inbox.next().text());
      ChatMessage echo = inbox.next();
      assertEquals("marco", echo.text());
      assertEquals(botName, echo.sender().username());
      assertTrue(echo.encrypted());
      assertTrue(echo.verified());
      assertNull(inbox.poll(300), "the bot does not echo itself");

      Room later = alice.createRoom(NewRoom.privateGroup("plain", botName).encrypted(false));
      SdkUsers.Inbox plainIn = new SdkUsers.Inbox();
      alice.subscribe(later.id(), 0, plainIn);
      plainIn.nextEvent(RoomEvent.ROOM_CREATED); // the bot follows this room from its start: this it must not echo
      alice.send(later.id(), "polo");
      assertEquals("polo", plainIn.nextMessage().text());
      ChatMessage plainEcho = plainIn.nextMessage();
      assertEquals("polo", plainEcho.text());
      assertEquals(botName, plainEcho.sender().username());
      assertTrue(!plainEcho.encrypted());
      assertNull(plainIn.poll(500), "one echo per message");
      assertNull(inbox.poll(100));
    }
  }
}
