package io.sealroom.client;

import io.sealroom.client.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The receiving side of one subscription: orders and de-duplicates by seq, then holds the
 * run at the first message that cannot be opened yet, so nothing is delivered out of order.
 * Remembers where to resume. Engine-confined.
 */
final class RoomFeed {
  final String rid;
  final MessageHandler handler;
  final Subscription subscription;
  private final SeqOrderer<JsonObject> orderer = new SeqOrderer<>();
  private final ArrayDeque<JsonObject> waiting = new ArrayDeque<>();
  ScheduledFuture<?> gapTimer;

  /** @param since -1 for live only (from the head the server reports), else resume after it */
  RoomFeed(String rid, long since, MessageHandler handler, Subscription subscription) {
    this.rid = rid;
    this.handler = handler;
    this.subscription = subscription;
    if (since >= 0) {
      orderer.start(since);
    }
  }

  /** The sub frame: with since once a position is known, so a resubscribe misses nothing. */
  JsonObject subFrame() {
    JsonObject f = new JsonObject().put("op", "sub").put("room", rid).put("ref", "sub:" + rid);
    if (orderer.started()) {
      f.put("since", orderer.contiguous());
    }
    return f;
  }

  /** The subbed frame: a live-only subscription starts at the head. */
  void onSubbed(long head) {
    waiting.addAll(orderer.start(head));
    sync();
  }

  /** A message (live, replayed or from history); duplicates and passed seqs are dropped. */
  void offer(JsonObject m) {
    waiting.addAll(orderer.offer(m.getLong("seq"), m));
    sync();
  }

  /** Gives up on the missing seqs up to {@code seq} (absent from the store). */
  void skipTo(long seq) {
    waiting.addAll(orderer.skipTo(seq));
    sync();
  }

  boolean hasGap() {
    return orderer.hasGap();
  }

  long contiguous() {
    return orderer.contiguous();
  }

  long firstHeld() {
    return orderer.firstHeld();
  }

  /** Opens messages in order until one must wait for its key; returns those to deliver. */
  List<ChatMessage> drain(Function<JsonObject, ChatMessage> opener) {
    List<ChatMessage> out = new ArrayList<>();
    while (!waiting.isEmpty()) {
      ChatMessage m = opener.apply(waiting.peekFirst());
      if (m == null) {
        break;
      }
      waiting.pollFirst();
      out.add(m);
    }
    return out;
  }

  boolean holding() {
    return !waiting.isEmpty();
  }

  private void sync() {
    subscription.lastSeq(orderer.contiguous());
  }
}
