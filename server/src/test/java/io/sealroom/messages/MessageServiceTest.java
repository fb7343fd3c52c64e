package io.sealroom.messages;

import static io.sealroom.messages.MessageRulesTest.b64;
import static io.sealroom.messages.Waits.assertCode;
import static io.sealroom.messages.Waits.assertUnavailable;
import static io.sealroom.messages.Waits.await;
import static io.sealroom.messages.Waits.failureOf;
import static io.sealroom.messages.Waits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomService;
import io.sealroom.rooms.RoomType;
import io.sealroom.rooms.TimelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link MessageService} decides about a send, over in-memory stores: the order of its
 * checks (shape, room, membership, the room's encryption rules, the sender's key version), one
 * outcome per (user, cid) in flight, what {@code placed} promises, the deadline counted from
 * arrival, the room rules remembered until a room change; and its own rules for timeline
 * events, history pages and search.
 */
class MessageServiceTest {
  private static final String PLAIN = "plain-room";
  private static final String SECRET = "secret-room";
  private static final String KID = "kid0123456789abc";
  private static final String UKID = "ukid0123456789ab";
  private static final long OP_TIMEOUT_MS = 10_000;
  private static final AuthUser ALICE = new AuthUser("alice", "alice", 0, "");
  private static final AuthUser BOB = new AuthUser("bob", "bob", 0, "");
  private static Vertx vertx;

  private MemoryMessageStore messages;
  private MemoryRoomStore rooms;
  private final List<Message> published = Collections.synchronizedList(new ArrayList<>());
  private MessageService service;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newService() {
    messages = new MemoryMessageStore();
    rooms = new MemoryRoomStore();
    room(PLAIN, false, null);
    room(SECRET, true, KID);
    rooms.addMember(PLAIN, ALICE.id());
    rooms.addMember(SECRET, ALICE.id());
    service = service(false, OP_TIMEOUT_MS);
  }

  @Test
  void storesAMembersMessageAndAnswersWithItsAck() {
    Ack ack = await(service.send(ALICE, text(PLAIN, "c1", "hello")).acked());
    assertEquals("c1", ack.cid());
    assertEquals(1, ack.seq());
    Message stored = messages.messagesOf(PLAIN).get(0);
    assertEquals(List.of(ack.id(), "alice", "alice", "hello"), List.of(stored.id(), stored.uid(), stored.username(), stored.text()));
    assertEquals(List.of(stored), published);
  }

  @Test
  void aMalformedSendIsRefusedAndPlacedAtOnceWithoutReadingTheStore() {
    SendOutcome outcome = service.send(ALICE, text(PLAIN, "not a cid!", "hello"));
    assertTrue(outcome.placed().isComplete(), "placed before send returned");
    assertCode(ErrorCode.INVALID_REQUEST, failureOf(outcome.acked()));
    assertEquals(0, rooms.roomReads());
  }

  @Test
  void aSendToARoomThatDoesNotExistIsNotFound() {
    SendOutcome outcome = service.send(ALICE, text("no-such-room", "c1", "hello"));
    assertCode(ErrorCode.NOT_FOUND, failureOf(outcome.acked()));
    assertTrue(outcome.placed().succeeded());
  }

  @Test
  void aSendFromSomeoneWhoIsNotAMemberIsRefused() {
    assertCode(ErrorCode.NOT_MEMBER, failureOf(service.send(BOB, text(PLAIN, "c1", "hello")).acked()));
    assertTrue(messages.messagesOf(PLAIN).isEmpty());
  }

  @Test
  void textInAnEncryptedRoomIsRefusedUnlessUnencryptedMessagesAreAllowed() {
    assertCode(ErrorCode.PLAINTEXT_NOT_ALLOWED, failureOf(service.send(ALICE, text(SECRET, "c1", "hi")).acked()));
    MessageService lenient = service(true, OP_TIMEOUT_MS);
    assertEquals(1, await(lenient.send(ALICE, text(SECRET, "c1", "hi")).acked()).seq());
  }

  @Test
  void ciphertextInAPlainRoomIsRefused() {
    assertCode(ErrorCode.ENCRYPTION_NOT_ALLOWED, failureOf(service.send(ALICE, sealed(PLAIN, "c1", KID, null)).acked()));
  }

  @Test
  void ciphertextUnderAnotherKeyIsRefusedStaleNamingTheRoomsKey() {
    Throwable t = failureOf(service.send(ALICE, sealed(SECRET, "c1", "kidOld456789abcd", null)).acked());
    assertCode(ErrorCode.STALE_KEY, t);
    assertEquals(KID, ((ApiException) t).details().getString("kid"));
    assertEquals(1, await(service.send(ALICE, sealed(SECRET, "c2", KID, null)).acked()).seq());
  }

  @Test
  void aNamedKeyVersionMustBeTheSendersCurrentOne() {
    AtomicInteger checks = new AtomicInteger();
    keyVersions = (uid, ukid) -> {
      checks.incrementAndGet();
      return ukid.equals(UKID) ? Future.succeededFuture()
          : Future.failedFuture(new ApiException(ErrorCode.STALE_KEY, "not your current key version"));
    };
    assertEquals(1, await(service.send(ALICE, sealed(SECRET, "c1", KID, UKID)).acked()).seq());
    assertCode(ErrorCode.STALE_KEY, failureOf(service.send(ALICE, sealed(SECRET, "c2", KID, "ukidOld456789abc")).acked()));
    assertEquals(2, checks.get());
    await(service.send(ALICE, sealed(SECRET, "c3", KID, null)).acked());
    assertEquals(2, checks.get(), "no ukid, no check");
    keyVersions = (uid, ukid) -> Future.failedFuture(new IllegalStateException("key store down"));
    assertUnavailable(failureOf(service.send(ALICE, sealed(SECRET, "c4", KID, UKID)).acked()));
    assertEquals(2, messages.messagesOf(SECRET).size());
  }

  @Test
  void concurrentSendsOfOneUsersCidShareOneOutcomeAndStoreOneMessage() {
    messages.holdInserts();
    SendOutcome first = service.send(ALICE, text(PLAIN, "c1", "hello"));
    SendOutcome again = service.send(ALICE, text(PLAIN, "c1", "hello"));
    SendOutcome bobs = service.send(memberOfPlain(BOB), text(PLAIN, "c1", "hello"));
    assertTrue(again.placed().isComplete(), "a second send of a cid in flight has the first one's place");
    waitUntil(() -> messages.heldInserts() >= 1, "the insert to be under way");
    messages.release();
    Ack ack = await(first.acked());
    assertEquals(ack, await(again.acked()));
    assertEquals(2, await(bobs.acked()).seq(), "the same cid of another user is another message");
    assertEquals(2, messages.messagesOf(PLAIN).size());
    assertEquals(2, messages.batchSizes().stream().mapToInt(Integer::intValue).sum(),
        "alice's second send of c1 never went to the store");
    assertEquals(ack, await(service.send(ALICE, text(PLAIN, "c1", "hello")).acked()), "a later retry: the store knows it");
  }

  @Test
  void placedCompletesOnceTheSendIsQueuedForItsSeqBeforeItIsAcked() {
    messages.holdInserts();
    SendOutcome outcome = service.send(ALICE, text(PLAIN, "c1", "hello"));
    await(outcome.placed());
    waitUntil(() -> messages.heldInserts() == 1, "the insert to be under way");
    assertFalse(outcome.acked().isComplete(), "not acked before it is stored");
    messages.release();
    assertEquals(1, await(outcome.acked()).seq());
  }

  @Test
  void aSendThatArrivedOneTimeoutAgoIsAnsweredUnavailableAndNotStored() {
    long arrived = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(OP_TIMEOUT_MS);
    SendOutcome outcome = service.send(ALICE, text(PLAIN, "c1", "hello"), arrived);
    assertEquals(Sequencer.LATE, failureOf(outcome.acked()));
    assertTrue(outcome.placed().succeeded());
    assertTrue(messages.messagesOf(PLAIN).isEmpty());
  }

  @Test
  void checksThatOutlastTheDeadlineAreAnsweredUnavailableAndPlaced() {
    MessageService quick = service(false, 300);
    rooms.holdRoomReads();
    SendOutcome outcome = quick.send(ALICE, text(PLAIN, "c1", "hello"));
    assertEquals(Sequencer.LATE, failureOf(outcome.acked()));
    assertTrue(outcome.placed().succeeded(), "the next send of the connection may go on");
    rooms.releaseRoomReads();
    assertTrue(messages.messagesOf(PLAIN).isEmpty());
  }

  @Test
  void theRoomsRulesAreRememberedUntilTheRoomIsAnnouncedChanged() {
    await(service.send(ALICE, text(PLAIN, "c1", "one")).acked());
    await(service.send(ALICE, text(PLAIN, "c2", "two")).acked());
    assertEquals(1, rooms.roomReads(), "the second send read nothing");
    assertEquals(1, rooms.membershipReads());
    rooms.update(PLAIN, null, true, null);
    await(service.send(ALICE, text(PLAIN, "c3", "three")).acked()); // not announced yet: the remembered rules
    service.roomChanged(PLAIN);
    assertCode(ErrorCode.PLAINTEXT_NOT_ALLOWED, failureOf(service.send(ALICE, text(PLAIN, "c4", "four")).acked()));
    rooms.deleteMembership(SECRET, ALICE.id());
    service.roomChanged(SECRET);
    assertCode(ErrorCode.NOT_MEMBER, failureOf(service.send(ALICE, sealed(SECRET, "c5", KID, null)).acked()));
  }

  @Test
  void aRoomReadUnderWayWhenTheRoomChangesAnswersButIsNotRemembered() {
    rooms.holdRoomReads();
    SendOutcome during = service.send(ALICE, text(PLAIN, "c1", "one"));
    waitUntil(() -> rooms.heldRoomReads() == 1, "the room read to be under way");
    rooms.update(PLAIN, null, true, null);
    service.roomChanged(PLAIN);
    rooms.releaseRoomReads();
    assertEquals(1, await(during.acked()).seq(), "its read began before the change: it goes by the room as it was");
    assertCode(ErrorCode.PLAINTEXT_NOT_ALLOWED, failureOf(service.send(ALICE, text(PLAIN, "c2", "two")).acked()));
    assertEquals(2, rooms.roomReads(), "the answer of the read under way was not kept");
  }

  @Test
  void aTimelineEventTakesTheRoomsNextSeqAndAFailureAnswersZero() {
    await(service.send(ALICE, text(PLAIN, "c1", "one")).acked());
    TimelineEvent added = TimelineEvent.member(TimelineEvent.MEMBER_ADDED, "bob", "bob");
    assertEquals(2, await(service.append(PLAIN, ALICE.id(), "alice", added)));
    Message event = messages.messagesOf(PLAIN).get(1);
    assertTrue(event.isEvent());
    assertTrue(event.cid().startsWith(Message.EVENT_CID_PREFIX));
    assertEquals(0, await(service.append("no-such-room", ALICE.id(), "alice", added)), "logged, never failed");
  }

  @Test
  void historyPagesAreBoundedByTheLimitsAndTheHead() {
    for (int i = 1; i <= 300; i++) {
      messages.storeDirectly(new Message("m" + i, PLAIN, i, "alice", "alice", i, "c" + i, "text " + i, null));
    }
    History newest = await(service.history(ALICE, PLAIN, null, null, null));
    assertEquals(300, newest.head());
    assertEquals(seqs(251, 300), SequencerTest.seqsOf(newest.messages()));
    assertEquals(MessageService.MAX_LIMIT, await(service.history(ALICE, PLAIN, null, null, 10_000)).messages().size());
    assertEquals(seqs(300, 300), SequencerTest.seqsOf(await(service.history(ALICE, PLAIN, null, null, 0)).messages()));
    assertEquals(seqs(11, 15), SequencerTest.seqsOf(await(service.history(ALICE, PLAIN, 10L, null, 5)).messages()));
    assertEquals(seqs(15, 19), SequencerTest.seqsOf(await(service.history(ALICE, PLAIN, null, 20L, 5)).messages()));
    assertEquals(List.of(), await(service.history(ALICE, PLAIN, 300L, null, 5)).messages());
    assertCode(ErrorCode.NOT_MEMBER, failureOf(service.history(BOB, PLAIN, null, null, null)));
  }

  @Test
  void searchNeedsAShortQueryAndLooksInTheCallersRoomsOnly() {
    await(service.send(ALICE, text(PLAIN, "c1", "Lunch at noon")).acked());
    room("other-room", false, null);
    rooms.addMember("other-room", BOB.id());
    await(service.send(BOB, text("other-room", "c1", "lunch elsewhere")).acked());
    assertCode(ErrorCode.INVALID_REQUEST, failureOf(service.search(ALICE, " ")));
    assertCode(ErrorCode.INVALID_REQUEST, failureOf(service.search(ALICE, "x".repeat(MessageService.MAX_QUERY + 1))));
    List<Message> found = await(service.search(ALICE, "  LUNCH "));
    assertEquals(List.of("Lunch at noon"), found.stream().map(Message::text).toList());
    assertEquals(List.of(), await(service.search(new AuthUser("carol", "carol", 0, ""), "lunch")));
  }

  // ---- helpers

  /** What the key service answers about a named key version; none is checked until a test sets it. */
  private KeyVersionCheck keyVersions = (uid, ukid) -> Future.succeededFuture();

  private MessageService service(boolean allowUnencrypted, long opTimeoutMs) {
    // history checks membership through the room store only: no users, e2e settings or events needed
    RoomService roomService = new RoomService(rooms, null, null, null, null, null);
    return new MessageService(vertx, messages, rooms, roomService, published::add,
        (uid, ukid) -> keyVersions.checkCurrent(uid, ukid), allowUnencrypted, opTimeoutMs);
  }

  private void room(String rid, boolean encrypted, String kid) {
    rooms.put(new Room(rid, RoomType.PRIVATE, "room " + rid, ALICE.id(), encrypted, kid, false, 0, 1, null));
    messages.room(rid);
  }

  /** Makes the user a member of the plain room. */
  private AuthUser memberOfPlain(AuthUser user) {
    rooms.addMember(PLAIN, user.id());
    return user;
  }

  private static SendRequest text(String rid, String cid, String text) {
    return new SendRequest(rid, cid, text, null);
  }

  private static SendRequest sealed(String rid, String cid, String kid, String ukid) {
    return new SendRequest(rid, cid, null, new E2ePayload(kid, b64(12), b64(40), b64(64), ukid));
  }

  private static List<Long> seqs(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }
}
