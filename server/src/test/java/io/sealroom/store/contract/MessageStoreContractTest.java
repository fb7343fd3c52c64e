package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.T0;
import static io.sealroom.store.contract.Fixtures.assertApiError;
import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.channel;
import static io.sealroom.store.contract.Fixtures.encrypted;
import static io.sealroom.store.contract.Fixtures.failureOf;
import static io.sealroom.store.contract.Fixtures.id;
import static io.sealroom.store.contract.Fixtures.text;
import static io.sealroom.store.contract.Fixtures.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sealroom.common.ErrorCode;
import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.sealroom.messages.MessageStore.DuplicateAt;
import io.sealroom.rooms.Room;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link MessageStore} contract, on every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class MessageStoreContractTest {
  @Parameter
  StoreEngine engine;

  private MessageStore messages;

  @BeforeEach
  void open() {
    messages = engine.stores().messages();
  }

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  private String newRoom() {
    Room r = channel();
    await(engine.stores().rooms().insertRoom(r));
    return r.id();
  }

  private List<Message> stored(String rid, long from, long to) {
    return await(messages.range(rid, from, to));
  }

  private static List<Long> seqs(List<Message> ms) {
    return ms.stream().map(Message::seq).toList();
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<String> textsOf(List<Message> ms) {
    return ms.stream().map(Message::text).toList();
  }

  /** The index of the DuplicateAt the insert fails with. */
  private int duplicateAt(List<Message> batch) {
    return assertInstanceOf(DuplicateAt.class, failureOf(messages.insertOrdered(batch))).index;
  }

  // ---- head

  @Test
  void headOfAnUnknownRoomFailsWithNotFound() {
    assertApiError(ErrorCode.NOT_FOUND, failureOf(messages.head(id())));
  }

  @Test
  void headOfAnEmptyRoomIsZero() {
    assertEquals(0L, await(messages.head(newRoom())));
  }

  @Test
  void insertOrderedOfSeqsOneToNMakesTheHeadN() {
    String rid = newRoom();
    assertEquals(5, await(messages.insertOrdered(texts(rid, 1, 5))));
    assertEquals(5L, await(messages.head(rid)));
    await(messages.raiseHeads(Map.of(rid, 5L)));
    assertEquals(5L, await(messages.head(rid)));
  }

  @Test
  void headCountsEveryMessageInsertedAfterTheLastRaise() {
    String rid = newRoom();
    await(messages.insertOrdered(texts(rid, 1, 3)));
    await(messages.raiseHeads(Map.of(rid, 3L)));
    await(messages.insertOrdered(texts(rid, 4, 147)));
    assertEquals(150L, await(messages.head(rid)));
  }

  @Test
  void raiseHeadsNeverLowersTheHead() {
    String rid = newRoom();
    String other = newRoom();
    await(messages.insertOrdered(texts(rid, 1, 5)));
    await(messages.insertOrdered(texts(other, 1, 2)));
    await(messages.raiseHeads(Map.of(rid, 3L)));
    assertEquals(5L, await(messages.head(rid)));
    await(messages.raiseHeads(Map.of(rid, 5L, other, 2L)));
    await(messages.raiseHeads(Map.of(rid, 2L, other, 1L)));
    await(messages.raiseHeads(Map.of(rid, 0L)));
    assertEquals(5L, await(messages.head(rid)));
    assertEquals(2L, await(messages.head(other)));
  }

  @Test
  void raiseHeadsOfNoRoomsSucceeds() {
    await(messages.raiseHeads(Map.of()));
  }

  // ---- reading

  @Test
  void rangeIsAscendingAndBounded() {
    String rid = newRoom();
    List<Message> all = texts(rid, 1, 10);
    await(messages.insertOrdered(all));
    assertEquals(all.subList(2, 7), stored(rid, 3, 7));
    assertEquals(all.subList(0, 1), stored(rid, 1, 1));
    assertEquals(all.subList(7, 10), stored(rid, 8, 20), "up to the head");
    assertEquals(List.of(), stored(rid, 11, 20), "past the head");
    assertEquals(all, stored(rid, 1, 10));
  }

  @Test
  void rangeHoldsOnlyTheRoomsMessages() {
    String rid = newRoom();
    String other = newRoom();
    List<Message> mine = texts(rid, 1, 3);
    await(messages.insertOrdered(mine));
    await(messages.insertOrdered(texts(other, 1, 4)));
    assertEquals(mine, stored(rid, 1, 4));
    assertEquals(List.of(), stored(newRoom(), 1, 4));
  }

  @Test
  void messagesReadBackAsTheyWereStored() {
    String rid = newRoom();
    Message plain = text(rid, 1, "plain text");
    Message sealed = encrypted(rid, 2, "ciphertext");
    await(messages.insertOrdered(List.of(plain, sealed)));
    assertEquals(List.of(plain, sealed), stored(rid, 1, 2));
    assertEquals(sealed, await(messages.findByCid(sealed.uid(), sealed.cid())));
  }

  @Test
  void findByCidReturnsTheUsersMessageWithThatCid() {
    String rid = newRoom();
    Message m = text(rid, 1, "hello");
    await(messages.insertOrdered(List.of(m)));
    assertEquals(m, await(messages.findByCid(m.uid(), m.cid())));
    assertNull(await(messages.findByCid(id(), m.cid())), "another user's cid");
    assertNull(await(messages.findByCid(m.uid(), id())), "another cid");
  }

  // ---- insertOrdered: stops at the first duplicate

  @Test
  void insertOrderedStopsAtATakenSeqKeepingTheMessagesBeforeIt() {
    String rid = newRoom();
    List<Message> first = texts(rid, 1, 3);
    await(messages.insertOrdered(first));
    List<Message> batch = List.of(text(rid, 4, "4"), text(rid, 5, "5"), text(rid, 2, "taken"),
        text(rid, 6, "6"), text(rid, 7, "7"));
    assertEquals(2, duplicateAt(batch));
    assertEquals(List.of(first.get(0), first.get(1), first.get(2), batch.get(0), batch.get(1)), stored(rid, 1, 10));
    assertEquals(5L, await(messages.head(rid)));
    for (Message notStored : batch.subList(2, 5)) {
      assertNull(await(messages.findByCid(notStored.uid(), notStored.cid())), "stored after the duplicate");
    }
  }

  @Test
  void insertOrderedOfATakenFirstSeqStoresNothing() {
    String rid = newRoom();
    await(messages.insertOrdered(texts(rid, 1, 1)));
    List<Message> batch = List.of(text(rid, 1, "taken"), text(rid, 2, "2"));
    assertEquals(0, duplicateAt(batch));
    assertEquals(1L, await(messages.head(rid)));
    assertNull(await(messages.findByCid(batch.get(1).uid(), batch.get(1).cid())));
  }

  @Test
  void insertOrderedStopsAtATakenCidKeepingTheMessagesBeforeIt() {
    String rid = newRoom();
    String uid = id();
    Message original = text(rid, 1, uid, "cid-1", "original", T0);
    await(messages.insertOrdered(List.of(original)));
    List<Message> batch = List.of(text(rid, 2, "2"), text(rid, 3, uid, "cid-1", "retried", T0 + 3),
        text(rid, 4, "4"));
    assertEquals(1, duplicateAt(batch));
    assertEquals(List.of(original, batch.get(0)), stored(rid, 1, 10));
    assertEquals(original, await(messages.findByCid(uid, "cid-1")));
    assertNull(await(messages.findByCid(batch.get(2).uid(), batch.get(2).cid())));
  }

  @Test
  void aBatchWithTwoMessagesOfOneCidStopsAtTheSecond() {
    String rid = newRoom();
    String uid = id();
    List<Message> batch = List.of(text(rid, 1, uid, "same", "first", T0), text(rid, 2, "other"),
        text(rid, 3, uid, "same", "second", T0 + 3), text(rid, 4, "after"));
    assertEquals(2, duplicateAt(batch));
    assertEquals(batch.subList(0, 2), stored(rid, 1, 10));
    assertEquals(batch.get(0), await(messages.findByCid(uid, "same")));
  }

  @Test
  void theSameCidFromAnotherUserIsNoDuplicate() {
    String rid = newRoom();
    List<Message> batch = List.of(text(rid, 1, id(), "cid", "a", T0), text(rid, 2, id(), "cid", "b", T0));
    assertEquals(2, await(messages.insertOrdered(batch)));
    assertEquals(batch, stored(rid, 1, 2));
  }

  @Test
  void theSameSeqInAnotherRoomIsNoDuplicate() {
    String r1 = newRoom();
    String r2 = newRoom();
    await(messages.insertOrdered(texts(r1, 1, 2)));
    assertEquals(2, await(messages.insertOrdered(texts(r2, 1, 2))));
    assertEquals(2L, await(messages.head(r2)));
  }

  // ---- concurrent senders

  @Test
  void concurrentSequencersEndWithGapFreeSeqsAndEveryCidStoredOnce() throws Exception {
    String rid = newRoom();
    int senders = 4;
    int perSender = 30;
    List<String> uids = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        String uid = id();
        uids.add(uid);
        running.add(pool.submit(() -> {
          go.await();
          sendLikeTheSequencer(rid, uid, perSender);
          return null;
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> r : running) {
        r.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int total = senders * perSender;
    assertEquals((long) total, await(messages.head(rid)));
    List<Message> all = stored(rid, 1, total + 10);
    assertEquals(seqs(1, total), seqs(all), "gap-free seqs");
    Set<String> sent = new HashSet<>();
    for (String uid : uids) {
      for (int i = 0; i < perSender; i++) {
        sent.add(uid + "/" + i);
      }
    }
    List<String> storedCids = all.stream().map(m -> m.uid() + "/" + m.cid()).toList();
    assertEquals(total, Set.copyOf(storedCids).size(), "no cid twice");
    assertEquals(sent, Set.copyOf(storedCids), "every cid once");
  }

  /**
   * Sends cids 0..count-1 of uid in batches of 1..5, each numbered from head + 1; when a seq is
   * taken, keeps what was stored, raises the head past it and numbers the rest again.
   */
  private void sendLikeTheSequencer(String rid, String uid, int count) {
    int next = 0;
    for (int attempts = 0; next < count; attempts++) {
      if (attempts > 10_000) {
        throw new AssertionError("no progress after " + attempts + " attempts");
      }
      long head = await(messages.head(rid));
      int size = Math.min(count - next, 1 + ThreadLocalRandom.current().nextInt(5));
      List<Message> batch = new ArrayList<>();
      for (int j = 0; j < size; j++) {
        batch.add(text(rid, head + 1 + j, uid, String.valueOf(next + j), "from " + uid, T0 + head + 1 + j));
      }
      AsyncResult<Integer> result = await(messages.insertOrdered(batch).transform(Future::succeededFuture));
      int stored;
      if (result.succeeded()) {
        stored = result.result();
      } else if (result.cause() instanceof DuplicateAt d) {
        stored = d.index;
      } else {
        throw new AssertionError("insert failed: " + result.cause(), result.cause());
      }
      if (stored > 0) {
        await(messages.raiseHeads(Map.of(rid, head + stored)));
      }
      next += stored;
    }
  }

  // ---- search

  @Test
  void searchTextIsACaseInsensitiveSubstringMatch() {
    String rid = newRoom();
    await(messages.insertOrdered(List.of(text(rid, 1, "Hello World"), text(rid, 2, "say hELLo!"),
        text(rid, 3, "goodbye"), text(rid, 4, "HELL no"))));
    assertEquals(List.of("say hELLo!", "Hello World"), textsOf(await(messages.searchText(List.of(rid), "hello", 10))));
    assertEquals(List.of("say hELLo!", "Hello World"), textsOf(await(messages.searchText(List.of(rid), "HELLO", 10))));
    assertEquals(List.of("goodbye"), textsOf(await(messages.searchText(List.of(rid), "odby", 10))));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "absent", 10)));
  }

  @Test
  void searchTextLooksInTheGivenRoomsOnly() {
    String r1 = newRoom();
    String r2 = newRoom();
    String r3 = newRoom();
    for (String rid : List.of(r1, r2, r3)) {
      await(messages.insertOrdered(List.of(text(rid, 1, "needle in " + rid))));
    }
    List<Message> found = await(messages.searchText(List.of(r1, r2), "needle", 10));
    assertEquals(Set.of(r1, r2), found.stream().map(Message::rid).collect(Collectors.toSet()));
    assertEquals(2, found.size());
    assertEquals(List.of(), await(messages.searchText(List.of(), "needle", 10)));
  }

  @Test
  void searchTextAnswersNewestFirstAndHonoursTheLimit() {
    String r1 = newRoom();
    String r2 = newRoom();
    // r1 holds the odd timestamps, r2 the even ones: the newest are spread over both rooms
    List<Message> inR1 = new ArrayList<>();
    List<Message> inR2 = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      inR1.add(text(r1, i, id(), id(), "match " + (2 * i - 1), T0 + 2 * i - 1));
      inR2.add(text(r2, i, id(), id(), "match " + (2 * i), T0 + 2 * i));
    }
    await(messages.insertOrdered(inR1));
    await(messages.insertOrdered(inR2));
    assertEquals(List.of("match 8", "match 7", "match 6"),
        textsOf(await(messages.searchText(List.of(r1, r2), "MATCH", 3))));
    assertEquals(8, await(messages.searchText(List.of(r1, r2), "match", 100)).size());
    assertEquals(List.of("match 8"), textsOf(await(messages.searchText(List.of(r2, r1), "match", 1))));
  }

  @Test
  void searchTextNeverMatchesEncryptedMessages() {
    String rid = newRoom();
    await(messages.insertOrdered(List.of(encrypted(rid, 1, "secret"), text(rid, 2, "no secret here"),
        encrypted(rid, 3, "secret"))));
    List<Message> found = await(messages.searchText(List.of(rid), "secret", 10));
    assertEquals(List.of("no secret here"), textsOf(found));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "kid-1", 10)), "no field of the payload");
  }

  @Test
  void searchTextTakesRegexMetacharactersLiterally() {
    String rid = newRoom();
    await(messages.insertOrdered(List.of(text(rid, 1, "abc"), text(rid, 2, "a.c"), text(rid, 3, "xA.Cx"),
        text(rid, 4, "anything"), text(rid, 5, "(1+1)*2 = [4]"), text(rid, 6, "11112"))));
    assertEquals(List.of("xA.Cx", "a.c"), textsOf(await(messages.searchText(List.of(rid), "a.c", 10))));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), ".*", 10)));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "^abc$", 10)));
    assertEquals(List.of("(1+1)*2 = [4]"), textsOf(await(messages.searchText(List.of(rid), "(1+1)*2", 10))));
    assertEquals(List.of("(1+1)*2 = [4]"), textsOf(await(messages.searchText(List.of(rid), "[4]", 10))));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "a|x", 10)));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "\\d", 10)));
  }
}
