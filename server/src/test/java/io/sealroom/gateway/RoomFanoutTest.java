package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sealroom.common.Addresses;
import io.sealroom.messages.Message;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One gateway instance's room fan-out without a network: connections over embedded channels
 * (the frames they were written are read back off the channel), a bus that only keeps its
 * consumers, a store held in memory and a clock the test moves. Everything runs on the test's
 * thread, as it would on the instance's event loop.
 */
class RoomFanoutTest {
  private static final String RID = "room-1";

  private final FakeBus bus = new FakeBus();
  private final FakeHistory history = new FakeHistory();
  private final ManualLoop loop = new ManualLoop();
  private final GatewayMetrics metrics = new GatewayMetrics(null, null);
  private final Map<Connection, EmbeddedChannel> channels = new HashMap<>();
  private RoomFanout fanout = new RoomFanout(bus.proxy, history, loop, metrics, false);

  @AfterEach
  void closeChannels() {
    channels.values().forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void theFirstSubscriptionOfARoomRegistersItsConsumerAndTheLastOneToEndUnregistersIt() {
    RoomSub a = live(RID, connection("a"));
    RoomSub b = live(RID, connection("b"));
    RoomSub other = live("room-2", connection("c"));
    assertEquals(1, bus.consumers(Addresses.room(RID)), "one consumer per room, however many subscribers");
    assertEquals(1, bus.consumers(Addresses.room("room-2")));
    assertEquals(3, metrics.roomSubscriptions.get());

    fanout.end(a);
    assertEquals(1, bus.consumers(Addresses.room(RID)), "b still subscribes");
    fanout.end(a);
    assertEquals(2, metrics.roomSubscriptions.get(), "ending twice counts once");
    fanout.end(b);
    assertEquals(0, bus.consumers(Addresses.room(RID)), "the last one out unregisters the room");
    assertEquals(1, metrics.roomSubscriptions.get());
    assertTrue(b.isEnded());
    assertFalse(other.isEnded());
  }

  @Test
  void aFrameIsWrittenOnceToEverySubscriberButTheConnectionItCameFrom() {
    Connection a = connection("a");
    Connection b = connection("b");
    Connection c = connection("c");
    live(RID, a);
    live(RID, b);
    live(RID, c);

    bus.publish(Addresses.room(RID), new RoomFrame(0, JsonObject.of("op", "typing").toBuffer(), "b", System.nanoTime()));
    bus.publish(Addresses.room(RID), frame(1));

    assertEquals(List.of("typing", "msg:1"), written(a));
    assertEquals(List.of("msg:1"), written(b), "its own typing frame does not come back");
    assertEquals(List.of("typing", "msg:1"), written(c));
  }

  @Test
  void aSubscriptionWithSinceGetsTheStoredHistoryFirstThenTheLiveFramesThatArrivedMeanwhile() {
    history.store(RID, 1, 2, 3, 4, 5);
    history.holdRanges = true;
    Connection a = connection("a");
    RoomSub sub = new RoomSub(RID, a, 2L);
    long head = subscribe(sub);
    assertEquals(5, head);
    fanout.start(sub, head);
    assertEquals(List.of(), written(a), "nothing before the stored page is read");

    bus.publish(Addresses.room(RID), frame(5)); // stored and live: delivered once
    bus.publish(Addresses.room(RID), frame(6));
    assertTrue(sub.isReplaying());
    assertEquals(2, sub.bufferedCount());
    history.releaseRange(RID, 3, 5);

    assertEquals(List.of("msg:3", "msg:4", "msg:5", "msg:6"), written(a));
    assertFalse(sub.isReplaying());
  }

  @Test
  void aGapThatClosesWithinGapMsIsNotReadFromTheStore() {
    Connection a = connection("a");
    RoomSub sub = resumed(RID, a);
    history.store(RID, 1, 2, 3);

    bus.publish(Addresses.room(RID), frame(1));
    bus.publish(Addresses.room(RID), frame(3));
    assertTrue(sub.hasGap());
    bus.publish(Addresses.room(RID), frame(2)); // from another node, a moment late
    loop.advance(RoomFanout.GAP_MS);

    assertEquals(List.of(), history.ranges, "no store read for a gap that closed in time");
    assertEquals(List.of("msg:1", "msg:3", "msg:2"), written(a));
  }

  @Test
  void aGapStillOpenAfterGapMsIsFilledFromTheStoreOnce() {
    Connection a = connection("a");
    resumed(RID, a);
    history.store(RID, 1, 2, 3, 4);

    bus.publish(Addresses.room(RID), frame(1));
    bus.publish(Addresses.room(RID), frame(3));
    bus.publish(Addresses.room(RID), frame(4)); // the same gap: no second check
    loop.advance(RoomFanout.GAP_MS - 1);
    assertEquals(List.of(), history.ranges, "not before GAP_MS");
    loop.advance(1);

    assertEquals(List.of("room-1:2-4"), history.ranges, "one read, from the gap up to the highest seq delivered");
    assertEquals(List.of("msg:1", "msg:3", "msg:4", "msg:2"), written(a), "only the missing seq is written");
  }

  @Test
  void afterAClusterMemberLeftEverySubscriptionIsCheckedAgainstOneHeadReadPerRoom() {
    Connection a = connection("a");
    Connection b = connection("b");
    resumed(RID, a);
    resumed(RID, b);
    history.store(RID, 1, 2); // stored on the node that left; never published here
    int headReads = history.heads;

    fanout.catchUpAll();
    loop.advance(RoomFanout.GAP_MS);

    assertEquals(headReads + 1, history.heads, "the subscriptions of a room share one head read");
    assertEquals(List.of("msg:1", "msg:2"), written(a));
    assertEquals(List.of("msg:1", "msg:2"), written(b));
  }

  @Test
  void aClusteredSubscriptionReadsWhatOtherNodesPublishedBeforeTheyKnewOfIt() {
    fanout = new RoomFanout(bus.proxy, history, loop, metrics, true);
    history.store(RID, 1, 2, 3);
    Connection a = connection("a");
    RoomSub sub = new RoomSub(RID, a, null);
    fanout.start(sub, subscribe(sub));
    history.store(RID, 4, 5); // published by a node that did not know of this subscription yet

    loop.advance(300 + RoomFanout.GAP_MS);

    assertEquals(List.of("msg:4", "msg:5"), written(a), "what was stored after the head it subscribed at");
  }

  @Test
  void aStoreFailureDuringReplayEndsTheSubscriptionWithAnError() {
    history.store(RID, 1, 2);
    history.failRanges = true;
    Connection a = connection("a");
    RoomSub sub = new RoomSub(RID, a, 0L);
    fanout.start(sub, subscribe(sub));

    assertTrue(sub.isEnded());
    assertEquals(0, bus.consumers(Addresses.room(RID)));
    bus.publish(Addresses.room(RID), frame(3));
    assertEquals(List.of("error"), written(a));
  }

  @Test
  void aReplayWhoseBufferOverflowedReadsTheStoreAgainUpToTheNewHead() {
    history.store(RID, 1);
    history.holdRanges = true;
    Connection a = connection("a");
    RoomSub sub = new RoomSub(RID, a, 0L);
    fanout.start(sub, subscribe(sub));
    long last = RoomSub.MAX_BUFFERED + 2;
    for (long seq = 2; seq <= last; seq++) {
      history.store(RID, seq);
      bus.publish(Addresses.room(RID), frame(seq));
    }
    assertTrue(sub.hasOverflowed());
    history.holdRanges = false;
    history.releaseRange(RID, 1, 1);

    assertFalse(sub.isReplaying());
    assertEquals(1 + (int) Math.ceil((last - 1) / 500.0), history.ranges.size(), "the first page, then everything after it from the store");
    List<String> got = written(a);
    assertEquals(last, got.size(), "every seq once");
    assertEquals("msg:" + last, got.get(got.size() - 1));
  }

  // --- fixtures ---

  private Connection connection(String id) {
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    Connection c = new Connection(id, null, new NettyAccess(ch.pipeline().firstContext()), "test", 1 << 30, 2000, null);
    channels.put(c, ch);
    return c;
  }

  /** A subscription without since, registered and started. */
  private RoomSub live(String rid, Connection c) {
    RoomSub sub = new RoomSub(rid, c, null);
    fanout.start(sub, subscribe(sub));
    return sub;
  }

  /** A subscription resumed from the room's head, registered and started: its seqs are de-duplicated and gaps seen. */
  private RoomSub resumed(String rid, Connection c) {
    RoomSub sub = new RoomSub(rid, c, history.head(rid).result());
    fanout.start(sub, subscribe(sub));
    assertFalse(sub.isReplaying());
    return sub;
  }

  private long subscribe(RoomSub sub) {
    Future<Long> head = fanout.subscribe(sub);
    assertTrue(head.succeeded());
    return head.result();
  }

  private static RoomFrame frame(long seq) {
    return new RoomFrame(seq, Frames.msg(message(RID, seq)), null, System.nanoTime());
  }

  private static Message message(String rid, long seq) {
    return new Message("m" + seq, rid, seq, "u1", "alice", 1_700_000_000_000L, "c" + seq, "hello " + seq, null);
  }

  /** What was written to the connection's channel so far: each frame's op, and the seq of msg frames. */
  private List<String> written(Connection c) {
    EmbeddedChannel ch = channels.get(c);
    ch.runPendingTasks(); // the flush at the end of the turn
    List<String> frames = new ArrayList<>();
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      try {
        while (b.isReadable()) {
          assertEquals(0x81, b.readUnsignedByte(), "a final text frame");
          int len = b.readUnsignedByte();
          len = len == 126 ? b.readUnsignedShort() : len == 127 ? (int) b.readLong() : len;
          JsonObject json = new JsonObject(b.readCharSequence(len, StandardCharsets.UTF_8).toString());
          frames.add(json.getString("op") + (json.containsKey("seq") ? ":" + json.getLong("seq") : ""));
        }
      } finally {
        b.release();
      }
    }
    return frames;
  }

  /** An event bus that keeps its consumers and hands a published frame to them at once. */
  private static final class FakeBus {
    private final Map<String, List<Handler<io.vertx.core.eventbus.Message<Object>>>> handlers = new HashMap<>();
    final EventBus proxy = (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(),
        new Class<?>[] {EventBus.class}, (self, method, args) -> {
          if (method.getName().equals("consumer") && args.length == 2) {
            return consumer((String) args[0], cast(args[1]));
          }
          throw new UnsupportedOperationException(method.getName());
        });

    int consumers(String address) {
      return handlers.getOrDefault(address, List.of()).size();
    }

    void publish(String address, Object body) {
      io.vertx.core.eventbus.Message<Object> msg = proxy(io.vertx.core.eventbus.Message.class, "body", body);
      for (Handler<io.vertx.core.eventbus.Message<Object>> h : new ArrayList<>(handlers.getOrDefault(address, List.of()))) {
        h.handle(msg);
      }
    }

    private MessageConsumer<Object> consumer(String address, Handler<io.vertx.core.eventbus.Message<Object>> handler) {
      handlers.computeIfAbsent(address, k -> new ArrayList<>()).add(handler);
      return (MessageConsumer<Object>) Proxy.newProxyInstance(MessageConsumer.class.getClassLoader(),
          new Class<?>[] {MessageConsumer.class}, (self, method, args) -> {
            switch (method.getName()) {
              case "completion":
                return Future.succeededFuture();
              case "unregister":
                handlers.get(address).remove(handler);
                return Future.succeededFuture();
              default:
                throw new UnsupportedOperationException(method.getName());
            }
          });
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
      return (T) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, String getter, Object value) {
      return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
        if (method.getName().equals(getter)) {
          return value;
        }
        throw new UnsupportedOperationException(method.getName());
      });
    }
  }

  /** A room's stored messages in memory; range reads can be held until the test releases them, or fail. */
  private static final class FakeHistory implements RoomFanout.History {
    private final Map<String, TreeMap<Long, Message>> rooms = new HashMap<>();
    private final Map<String, Promise<List<Message>>> held = new HashMap<>();
    /** Every range read, as rid:from-to. */
    final List<String> ranges = new ArrayList<>();
    int heads;
    boolean holdRanges;
    boolean failRanges;

    void store(String rid, long... seqs) {
      for (long seq : seqs) {
        rooms.computeIfAbsent(rid, k -> new TreeMap<>()).put(seq, message(rid, seq));
      }
    }

    @Override
    public Future<Long> head(String rid) {
      heads++;
      TreeMap<Long, Message> room = rooms.get(rid);
      return Future.succeededFuture(room == null ? 0L : room.lastKey());
    }

    @Override
    public Future<List<Message>> range(String rid, long from, long to) {
      ranges.add(rid + ":" + from + "-" + to);
      if (failRanges) {
        return Future.failedFuture(new IllegalStateException("store down"));
      }
      if (holdRanges) {
        Promise<List<Message>> p = Promise.promise();
        held.put(rid + ":" + from + "-" + to, p);
        return p.future();
      }
      return Future.succeededFuture(read(rid, from, to));
    }

    void releaseRange(String rid, long from, long to) {
      held.remove(rid + ":" + from + "-" + to).complete(read(rid, from, to));
    }

    private List<Message> read(String rid, long from, long to) {
      return new ArrayList<>(rooms.getOrDefault(rid, new TreeMap<>()).subMap(from, true, to, true).values());
    }
  }

  /** Time that moves only when the test says; a hand-over runs after the current step, as on an event loop. */
  private static final class ManualLoop implements RoomFanout.Loop {
    private record Task(long due, long order, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((x, y) -> x.due != y.due
        ? Long.compare(x.due, y.due) : Long.compare(x.order, y.order));
    private final ArrayDeque<Runnable> handedOver = new ArrayDeque<>();
    private long now;
    private long order;

    @Override
    public void later(long delayMs, Runnable task) {
      tasks.add(new Task(now + delayMs, order++, task));
    }

    @Override
    public void execute(Runnable task) {
      handedOver.add(task);
    }

    /** Runs what is handed over, then every timer due within {@code ms}, in order of their time. */
    void advance(long ms) {
      long until = now + ms;
      runHandedOver();
      while (!tasks.isEmpty() && tasks.peek().due <= until) {
        Task t = tasks.poll();
        now = t.due;
        t.run.run();
        runHandedOver();
      }
      now = until;
    }

    private void runHandedOver() {
      while (!handedOver.isEmpty()) {
        handedOver.poll().run();
      }
    }
  }
}
