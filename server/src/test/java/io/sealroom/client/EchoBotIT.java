package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.examples.EchoBot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example bot echoes in encrypted and plain rooms, including rooms it joins while running,
 * and answers files with their size and SHA-256.
 */
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

  @Test
  void answersFilesWithTheirSizeAndSha256AfterCheckingThem() throws Exception {
    String botName = users.newAccount("echo");
    String e2ePassword = botWithKeys(botName);
    SealroomClient alice = users.newE2eClient("alice");
    Room sealed = alice.createRoom(NewRoom.privateGroup("sealed files", botName).encrypted(true));
    Room plain = alice.createRoom(NewRoom.privateGroup("plain files", botName).encrypted(false));
    byte[] content = new byte[3 * 65536 + 17];
    new java.util.Random(7).nextBytes(content);
    String sha = io.sealroom.client.crypto.FileCrypto.hex(
        io.sealroom.client.crypto.FileCrypto.sha256().digest(content));
    try (EchoBot bot = EchoBot.start(users.url(), botName, SdkUsers.password(botName), e2ePassword, SdkUsers.options())) {
      for (Room room : java.util.List.of(sealed, plain)) {
        SdkUsers.Inbox inbox = new SdkUsers.Inbox();
        alice.subscribe(room.id(), inbox);
        FileUpload a = alice.upload(room.id(), new java.io.ByteArrayInputStream(content), "data.bin", null);
        FileUpload b = alice.upload(room.id(), new java.io.ByteArrayInputStream(new byte[0]), "empty", null);
        alice.send(room.id(), null, java.util.List.of(a, b));
        assertTrue(inbox.nextMessage().hasFiles());
        ChatMessage answer = inbox.nextMessage();
        assertEquals(botName, answer.sender().username());
        assertEquals(room.encrypted(), answer.encrypted());
        assertEquals("data.bin: " + content.length + " bytes, sha256 " + sha + "\n"
            + "empty: 0 bytes, sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", answer.text());
        assertNull(inbox.poll(300), "no echo of a message without text");
      }
    }
  }

  @Test
  void saysSoWhenAFileDoesNotVerify() throws Exception {
    String botName = users.newAccount("echo");
    String e2ePassword = botWithKeys(botName);
    SealroomClient alice = users.newE2eClient("alice");
    Room sealed = alice.createRoom(NewRoom.privateGroup("bad file", botName).encrypted(true));
    try (EchoBot bot = EchoBot.start(users.url(), botName, SdkUsers.password(botName), e2ePassword, SdkUsers.options())) {
      SdkUsers.Inbox inbox = new SdkUsers.Inbox();
      alice.subscribe(sealed.id(), inbox);
      FileUpload real = alice.upload(sealed.id(), new java.io.ByteArrayInputStream(new byte[100]), "real", null);
      // the same upload described with another key: every chunk fails its tag
      FileUpload forged = new FileUpload(sealed.id(), real.id(), "forged.bin", null, real.size(), real.storedSize(),
          real.storedSha256(), io.sealroom.client.crypto.FileKey.generate(), null, 0, 0);
      alice.send(sealed.id(), "look", java.util.List.of(forged));
      java.util.Set<String> got = new java.util.HashSet<>();
      inbox.nextMessage();
      got.add(inbox.nextMessage().text());
      got.add(inbox.nextMessage().text());
      assertEquals(java.util.Set.of("look", "forged.bin: does not verify (tag)"), got);
    }
  }
}
