package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.ClientOptions;
import io.sealroom.client.Identity;
import io.sealroom.client.NewRoom;
import io.sealroom.client.Room;
import io.sealroom.client.SafetyNumber;
import io.sealroom.client.SealroomClient;
import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * One safety number across clients: for a pair made here (a person in Chromium, a bot on the
 * Java SDK, each with keys it generated), the page and the SDK show the same 60 digits, the
 * page accepts the text of the SDK's QR payload as a match, and each side can then mark the
 * other verified.
 */
class SdkSafetyNumberBrowserIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", ITER).build();
  static final Api api = node.api();

  @Test
  void theBrowserAndTheSdkShowTheSameSafetyNumber() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    String botName = "numbot-" + UUID.randomUUID().toString().substring(0, 6);
    String aliceId = api.register(alice, "password-" + alice).json().getString("userId");
    SealroomClient.register(node.baseUrl(), botName, "password-" + botName);
    try (Browser a = Browser.open("alice", node.baseUrl());
        SealroomClient bot = SealroomClient.login(node.baseUrl(), botName, "password-" + botName,
            ClientOptions.defaults().withKdfIterations(ITER))) {
      bot.e2e().setup();
      a.login(alice, "password-" + alice);
      Flows.setUp(a);
      Room room = bot.createRoom(NewRoom.privateGroup("Numbers", alice).encrypted(true));
      bot.send(room.id(), "hello from the sdk");
      a.waitFor(a.roomItem("Numbers"));
      a.openRoom("Numbers");
      a.waitFor(Flows.verifiedOnMessage("hello from the sdk"));

      String inPage = VerifyFlows.openVerify(a, bot.user().id());
      SafetyNumber fromSdk = bot.safetyNumber(aliceId);
      assertEquals(fromSdk.digits(), inPage, "the page and the SDK compute one number for alice and the bot");
      assertTrue(fromSdk.matches(a.driver.findElement(By.id("safety-number")).getText()),
          "the SDK matches the digits as the page shows them, in groups");
      a.type(By.id("safety-compare"), fromSdk.qrPayload());
      a.waitUntil("the SDK's QR text matches in the page",
          () -> a.driver.findElement(By.id("safety-compare-result")).getText().startsWith("Match"));
      VerifyFlows.markVerified(a);
      bot.markVerified(aliceId);
      assertEquals(Identity.Status.VERIFIED, bot.identity(aliceId).status());
    }
  }
}
