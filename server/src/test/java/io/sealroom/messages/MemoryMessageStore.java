package io.sealroom.messages;

import io.sealroom.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link MessageStore} in memory with the engines' unique indexes, (rid, seq) and (uid, cid),
 * for the message unit tests. Every answer is given synchronously, inside the call, unless the
 * test holds inserts ({@link #holdInserts}): then they wait, unapplied, until {@link #release}
 * applies them and answers on the context that called (as the real engines do). A test can also
 * make the next insert fail part-way ({@link #failNextInsert}) and play another node that takes
 * the seqs this node is about to use ({@link #takeSeqsAsAnotherNode}). Thread-safe (synchronized).
 */
final class MemoryMessageStore implements MessageStore {
  private final Set<String> rooms = new HashSet<>();
  private final Map<String, NavigableMap<Long, Message>> byRoom = new HashMap<>();
  private final Map<String, Message> byCid = new HashMap<>();
  private final Map<String, Long> raised = new HashMap<>();
  private final List<Runnable> held = new ArrayList<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private boolean holding;
  private RuntimeException nextFailure;
  private int nextFailureStores;
  private int seqsToTake;
  private int headReads;

  /** Makes the room exist, empty: its head is 0 (heads of unknown rooms fail not_found). */
  synchronized MemoryMessageStore room(String rid) {
    rooms.add(rid);
    return this;
  }

  /** Inserts from now on wait until {@link #release}. */
  synchronized void holdInserts() {
    holding = true;
  }

  /** Applies the held inserts in the order they were made, answers each, and stops holding. */
  void release() {
    List<Runnable> due;
    synchronized (this) {
      holding = false;
      due = new ArrayList<>(held);
      held.clear();
    }
    due.forEach(Runnable::run);
  }

  /** The inserts waiting for {@link #release}. */
  synchronized int heldInserts() {
    return held.size();
  }

  /**
   * The next insert stores its first {@code stores} messages and then fails with {@code failure}
   * (a {@link FailedAt} naming how far it got, or anything else).
   */
  synchronized void failNextInsert(int stores, RuntimeException failure) {
    nextFailureStores = stores;
    nextFailure = failure;
  }

  /** Before each of the next {@code inserts} inserts, another node stores a message at the seq of its first message. */
  synchronized void takeSeqsAsAnotherNode(int inserts) {
    seqsToTake = inserts;
  }

  /** Stores a message as another node (or an earlier run) did; fails on a taken seq or cid. */
  synchronized void storeDirectly(Message m) {
    if (!tryStore(m)) {
      throw new IllegalStateException("taken: " + m);
    }
  }

  /** Every message of the room, ascending by seq. */
  synchronized List<Message> messagesOf(String rid) {
    return new ArrayList<>(byRoom.getOrDefault(rid, new TreeMap<>()).values());
  }

  /** The size of every insert made so far, in order. */
  synchronized List<Integer> batchSizes() {
    return new ArrayList<>(batchSizes);
  }

  synchronized int headReads() {
    return headReads;
  }

  /** What {@link #raiseHeads} was last told for the room (0 for nothing). */
  synchronized long raisedHead(String rid) {
    return raised.getOrDefault(rid, 0L);
  }

  @Override
  public synchronized Future<Long> head(String rid) {
    headReads++;
    if (!rooms.contains(rid)) {
      return Future.failedFuture(ApiException.notFound("room"));
    }
    NavigableMap<Long, Message> stored = byRoom.get(rid);
    long top = stored == null || stored.isEmpty() ? 0 : stored.lastKey();
    return Future.succeededFuture(Math.max(top, raised.getOrDefault(rid, 0L)));
  }

  @Override
  public synchronized Future<Integer> insertOrdered(List<Message> batch) {
    List<Message> copy = List.copyOf(batch);
    batchSizes.add(copy.size());
    // what this insert meets is decided now, in call order, even when it is applied later
    boolean taken = seqsToTake > 0;
    seqsToTake = Math.max(0, seqsToTake - 1);
    RuntimeException failure = nextFailure;
    int stores = nextFailureStores;
    nextFailure = null;
    if (holding) {
      // answered where the call was made, like the engines: never on the thread that releases it
      Promise<Integer> answer = ((ContextInternal) Vertx.currentContext()).promise();
      held.add(() -> answer.handle(insertNow(copy, taken, failure, stores)));
      return answer.future();
    }
    return insertNow(copy, taken, failure, stores);
  }

  private synchronized Future<Integer> insertNow(List<Message> batch, boolean seqTaken, RuntimeException failure,
      int failureStores) {
    if (seqTaken && !batch.isEmpty()) {
      Message first = batch.get(0);
      storeDirectly(new Message("other-" + first.rid() + "-" + first.seq(), first.rid(), first.seq(), "other-node",
          "other", first.ts(), "other-" + first.rid() + "-" + first.seq(), "from another node", null));
    }
    int stores = failure == null ? batch.size() : Math.min(failureStores, batch.size());
    for (int i = 0; i < stores; i++) {
      if (!tryStore(batch.get(i))) {
        return Future.failedFuture(new DuplicateAt(i));
      }
    }
    return failure == null ? Future.succeededFuture(batch.size()) : Future.failedFuture(failure);
  }

  private boolean tryStore(Message m) {
    NavigableMap<Long, Message> room = byRoom.computeIfAbsent(m.rid(), k -> new TreeMap<>());
    String cidKey = m.uid() + "\u0000" + m.cid();
    if (room.containsKey(m.seq()) || byCid.containsKey(cidKey)) {
      return false;
    }
    room.put(m.seq(), m);
    byCid.put(cidKey, m);
    return true;
  }

  @Override
  public synchronized Future<Void> raiseHeads(Map<String, Long> heads) {
    heads.forEach((rid, seq) -> raised.merge(rid, seq, Math::max));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Message> findByCid(String uid, String cid) {
    return Future.succeededFuture(byCid.get(uid + "\u0000" + cid));
  }

  @Override
  public synchronized Future<List<Message>> range(String rid, long from, long to) {
    NavigableMap<Long, Message> room = byRoom.getOrDefault(rid, new TreeMap<>());
    return Future.succeededFuture(from > to ? List.of() : new ArrayList<>(room.subMap(from, true, to, true).values()));
  }

  @Override
  public synchronized Future<List<Message>> searchText(Collection<String> rids, String literal, int limit) {
    String needle = literal.toLowerCase(Locale.ROOT);
    List<Message> found = new ArrayList<>();
    for (String rid : rids) {
      for (Message m : byRoom.getOrDefault(rid, new TreeMap<>()).values()) {
        if (m.text() != null && m.text().toLowerCase(Locale.ROOT).contains(needle)) {
          found.add(m);
        }
      }
    }
    found.sort((a, b) -> Long.compare(b.ts(), a.ts()));
    return Future.succeededFuture(found.subList(0, Math.min(limit, found.size())));
  }
}
