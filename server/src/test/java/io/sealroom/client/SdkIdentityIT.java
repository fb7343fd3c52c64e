package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verified identities through the SDK against a real node: both users see the same safety
 * number, a verification follows the user to their other session through the server's
 * encrypted list, and a verified contact's key reset blocks sending to them until the change
 * is accepted (the room key is held back from them meanwhile).
 */
class SdkIdentityIT {
  @RegisterExtension
  static final SdkUsers users = new SdkUsers();

  static String token(SealroomClient c) {
    return users.node.api().login(c.user().username(), SdkUsers.password(c.user().username())).json()
        .getString("token");
  }

  /** Whether {@code uid} waits for the room's current key, as a holder reads it. */
  static boolean waiting(SealroomClient holder, String rid, String uid) {
    JsonArray ws = users.node.api().get("/api/v1/rooms/" + rid + "/e2e/waiting", token(holder)).json()
        .getJsonArray("users", new JsonArray());
    return ws.stream().anyMatch(u -> uid.equals(((JsonObject) u).getString("id")));
  }

  @Test
  void bothUsersSeeTheSameSixtyDigits() {
    SealroomClient alice = users.newE2eClient("alice");
    SealroomClient bob = users.newE2eClient("bob");
    SafetyNumber a = alice.safetyNumber(bob.user().id());
    SafetyNumber b = bob.safetyNumber(alice.user().id());
    assertEquals(60, a.digits().length());
    assertEquals(a.digits(), b.digits());
    assertTrue(b.matches(a.qrPayload()), "bob scans alice's code");
    assertTrue(a.matches(b.display()), "alice types bob's groups");
    Identity id = alice.identity(bob.user().id());
    assertEquals(Identity.Status.UNVERIFIED, id.status());
    assertEquals(bob.e2e().ukid(), id.currentUkid());
    alice.createRoom(NewRoom.privateGroup("names", bob.user().username()));
    assertEquals(bob.user().username(), alice.identity(bob.user().id()).username(), "known once seen in a room");
  }

  @Test
  void aVerificationFollowsTheUserToTheirOtherSession() {
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName);
    String password = alice.e2e().setup();
    SealroomClient bob = users.newE2eClient("bob");
    Identity marked = alice.markVerified(bob.user().id());
    assertEquals(Identity.Status.VERIFIED, marked.status());
    assertEquals(bob.e2e().ukid(), marked.verifiedUkid());

    SealroomClient laptop = users.login(aliceName);
    laptop.e2e().unlock(password);
    Identity there = laptop.identity(bob.user().id());
    assertEquals(Identity.Status.VERIFIED, there.status(), "read from the server's encrypted list");
    assertEquals(bob.e2e().ukid(), there.verifiedUkid());
    JsonObject stored = users.node.api().get("/api/v1/me/verified", token(alice)).json();
    assertTrue(stored.getLong("rev") >= 1);
    assertTrue(!stored.getJsonObject("blob").encode().contains(bob.user().id()), "the server cannot read the list");

    laptop.unverify(bob.user().id());
    assertEquals(Identity.Status.UNVERIFIED, alice.identity(bob.user().id()).status(), "and back again");
  }

  @Test
  void aVerifiedContactsKeyResetBlocksSendingUntilTheChangeIsAccepted() throws Exception {
    BlockingQueue<String> changes = new LinkedBlockingQueue<>();
    String aliceName = users.newAccount("alice");
    SealroomClient alice = users.login(aliceName, SdkUsers.options().withListener(new ClientListener() {
      @Override
      public void onKeysChanged(String roomId, User user, String ukid) {
        changes.add(user.id() + "|" + ukid);
      }
    }));
    alice.e2e().setup();
    String bobName = users.newAccount("bob");
    SealroomClient bob = users.login(bobName);
    bob.e2e().setup();
    Room room = alice.createRoom(NewRoom.privateGroup("verified", bobName).encrypted(true));
    alice.subscribe(room.id(), new SdkUsers.Inbox());
    alice.markVerified(bob.user().id());
    alice.send(room.id(), "before the reset");

    String oldUkid = bob.e2e().ukid();
    bob.e2e().reset(SdkUsers.password(bobName));
    bob.e2e().setup();
    assertNotEquals(oldUkid, bob.e2e().ukid());
    assertEquals(bob.user().id() + "|" + bob.e2e().ukid(), changes.poll(15, TimeUnit.SECONDS),
        "the listener heard of the change");
    Identity changed = alice.identity(bob.user().id());
    assertEquals(Identity.Status.CHANGED, changed.status());
    assertEquals(oldUkid, changed.verifiedUkid());

    IdentityChangedException refused = assertThrows(IdentityChangedException.class,
        () -> alice.send(room.id(), "must not go out"));
    assertEquals(bob.user().id(), refused.userId());
    assertTrue(refused.getMessage().contains(bobName), refused.getMessage());
    Thread.sleep(500);
    assertTrue(waiting(alice, room.id(), bob.user().id()), "bob's new keys got no room key");

    alice.send(room.id(), "once, knowingly", SendOption.ALLOW_CHANGED_IDENTITIES);
    assertEquals(Identity.Status.UNVERIFIED, alice.acceptKeyChange(bob.user().id()).status());
    SdkUsers.eventually(() -> !waiting(alice, room.id(), bob.user().id()), "bob got the room key after the accept");
    SdkUsers.Inbox bobs = new SdkUsers.Inbox();
    bob.subscribe(room.id(), alice.room(room.id()).head(), bobs);
    alice.send(room.id(), "after the accept");
    ChatMessage m = bobs.nextMessage();
    assertEquals("after the accept", m.text());
    assertTrue(m.verified());
    assertNull(changes.poll(200, TimeUnit.MILLISECONDS), "one change, one call");
  }
}
