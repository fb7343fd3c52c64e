package io.sealroom.client;

import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.json.JsonObject;
import java.net.http.HttpClient;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The client's engine: one thread owns the socket, the subscriptions, the room keys and the
 * pending sends, so none of them needs a lock. Frames are handled in arrival order; REST calls
 * made here block this thread but never wait for a frame. Handlers and listeners run on a
 * second thread, so they may call blocking client methods. Reconnects with backoff, resubscribes
 * with {@code since}, resends unacknowledged messages under their cid.
 */
final class Core implements Link.Events {
  private static final int CLOSE_AUTH = 4001;

  private final ScheduledExecutorService engine;
  private final ExecutorService delivery;
  private final Notifier notifier;
  private final Rest rest;
  private final RoomDirectory rooms;
  private final KeyAgent keys;
  private final ClientOptions options;
  private final Link link;
  private final Backoff backoff;
  private final Verifier verifier;
  private final Feeds feeds;
  private final Sender sender;
  private final Inbound inbound;
  private final Identities identities;
  private final CompletableFuture<User> started = new CompletableFuture<>();
  private volatile ConnectionState state = ConnectionState.CONNECTING;
  private volatile User user;
  private volatile boolean resetting;
  private final AtomicBoolean closing = new AtomicBoolean();
  private long lastFrameAt;

  Core(HttpClient http, Rest rest, ClientOptions options, Supplier<PrivateKeys> own, Identities identities) {
    this.options = options;
    this.identities = identities;
    this.rest = rest;
    this.engine = Threads.engine();
    this.delivery = Threads.delivery();
    this.notifier = new Notifier(delivery, options.listener());
    this.link = new Link(http, rest.baseUrl(), options.requestTimeout(), engine, this);
    this.backoff = new Backoff(options.reconnectMin().toMillis(), options.reconnectMax().toMillis(), Math::random);
    this.rooms = new RoomDirectory(rest);
    this.verifier = Verifier.over(rest, identities);
    this.keys = new KeyAgent(rest, rooms, own, rid -> onEngine(() -> keysChanged(rid)), identities);
    this.feeds = new Feeds(engine, delivery, rest, new Opener(keys, verifier, this::keysAnnounced), options.gapTimeout().toMillis());
    this.sender = new Sender(engine, link, rooms, keys, own, () -> user, identities, options.sendTimeout().toMillis(),
        options.keyTimeout().toMillis());
    this.inbound = new Inbound(engine, link, feeds, sender, keys, rooms, notifier);
  }

  /** Opens the socket; the future completes at the first ready (or fails if that first attempt fails). */
  CompletableFuture<User> start() {
    onEngine(() -> link.open(rest.token()));
    long ping = options.pingInterval().toMillis();
    engine.scheduleWithFixedDelay(() -> Threads.guard(this::ping), ping, ping, TimeUnit.MILLISECONDS);
    return started;
  }

  ConnectionState state() {
    return state;
  }

  User user() {
    return user;
  }

  /** Runs {@code task} on the engine and waits for it; SealroomExceptions pass through. */
  <T> T call(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    boolean queued = onEngine(() -> {
      try {
        f.complete(task.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    if (!queued) {
      throw ended();
    }
    return Threads.await(f, options.requestTimeout().toMillis() * 3);
  }

  Subscription subscribe(String rid, long since, MessageHandler handler) {
    return call(() -> {
      Room room = rooms.refresh(rid);
      // "new messages" are those after the head at this call, not at the server's later subbed:
      // a message sent right after subscribe() returns must not fall before the starting point
      long start = since < 0 ? room.head() : since;
      Subscription s = new Subscription(rid, start, sub -> onEngine(() -> unsubscribe(sub)));
      feeds.add(new RoomFeed(rid, start, handler, s));
      if (link.isReady()) {
        link.send(feeds.get(rid).subFrame());
      }
      if (room.encrypted()) {
        Threads.guard(() -> keys.ensure(rid));
      }
      return s;
    });
  }

  private void unsubscribe(Subscription s) {
    RoomFeed f = feeds.get(s.roomId());
    if (f != null && f.subscription == s) {
      feeds.remove(s.roomId());
      if (link.isReady()) {
        link.send(new JsonObject().put("op", "unsub").put("room", s.roomId()));
      }
    }
  }

  CompletableFuture<Ack> send(String rid, String text, java.util.List<FileUpload> files, boolean allowChanged) {
    CompletableFuture<Ack> f = new CompletableFuture<>();
    boolean queued = onEngine(() -> {
      if (state == ConnectionState.SESSION_ENDED || state == ConnectionState.CLOSED) {
        f.completeExceptionally(ended());
      } else {
        sender.submit(rid, text, files, f, allowChanged);
      }
    });
    if (!queued) {
      f.completeExceptionally(ended());
    }
    return f;
  }

  private SealroomException ended() {
    return state == ConnectionState.SESSION_ENDED
        ? new SealroomException("session_ended", "the session ended: log in again")
        : new SealroomException("closed", "the client was closed");
  }

  /** Private keys became available: get the keys of the user's rooms, release held messages. */
  void unlocked() {
    onEngine(this::catchUpKeys);
  }

  /** The verified list changed (a contact verified or a change accepted): members held back may get keys now. */
  void identitiesChanged() {
    onEngine(this::catchUpKeys);
  }

  /**
   * Key frames and keys.needed missed while locked or disconnected are not repeated: catch up.
   * The verified list is read first, so that hand-overs see this user's latest verifications.
   */
  private void catchUpKeys() {
    if (!keys.unlocked()) {
      return;
    }
    Threads.guard(identities::loadContacts);
    Threads.guard(() -> keys.sweep(Wire.rooms(rest.get("/api/v1/rooms")),
        feeds.all().stream().map(f -> f.rid).collect(java.util.stream.Collectors.toSet())));
    feeds.all().forEach(f -> feeds.retry(f.rid));
  }

  /** A reset is under way: the server closes our socket too (4001) before it sends the new token. */
  void resetStarting() {
    resetting = true;
  }

  /** The reset was refused: carry on with the old token. */
  void resetFailed() {
    resetting = false;
    onEngine(() -> {
      if (state == ConnectionState.RECONNECTING) {
        scheduleReconnect();
      }
    });
  }

  /** The user reset their E2E keys: forget room keys, reconnect with the session's new token. */
  void keysReset() {
    resetting = false;
    onEngine(() -> {
      state = ConnectionState.CONNECTING;
      keys.clear();
      if (user != null) {
        verifier.forget(user.id());
      }
      link.open(rest.token());
    });
  }

  void dropConnection() {
    onEngine(() -> link.abort("dropped"));
  }

  /** Whether the room is encrypted, as the engine knows it (read from the server on first use). */
  boolean encrypted(String rid) {
    return call(() -> rooms.get(rid).encrypted());
  }

  /** A REST answer described a room: record it. */
  void roomKnown(Room r) {
    onEngine(() -> rooms.update(r));
  }

  void close() {
    if (closing.getAndSet(true)) {
      return;
    }
    onEngine(() -> {
      state = ConnectionState.CLOSED;
      link.drop();
      sender.failAll(ended());
      feeds.all().forEach(f -> f.subscription.ended());
      started.completeExceptionally(ended());
    });
    Threads.shutdown(engine, delivery);
  }

  /** Runs engine work; false after close, when there is no engine any more. */
  private boolean onEngine(Runnable r) {
    try {
      engine.execute(r);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void onReady(User u) {
    user = u;
    state = ConnectionState.READY;
    lastFrameAt = System.nanoTime();
    backoff.reset();
    for (RoomFeed f : feeds.all()) {
      link.send(f.subFrame());
    }
    sender.onReady();
    started.complete(u);
    notifier.fire(l -> l.onConnected(u));
    catchUpKeys();
  }

  @Override
  public void onFrame(JsonObject f) {
    lastFrameAt = System.nanoTime();
    Threads.guard(() -> inbound.dispatch(f));
  }

  /** A user.keys.changed event in a subscribed room: their version is read again; listeners hear of it. */
  private void keysAnnounced(ChatMessage m) {
    User who = m.event().user();
    identities.forget(who.id());
    notifier.fire(l -> l.onKeysChanged(m.roomId(), who, m.event().ukid()));
  }

  private void keysChanged(String rid) {
    feeds.retry(rid);
    sender.onKeys(rid);
  }

  @Override
  public void onDown(int code, String reason) {
    if (state == ConnectionState.CLOSED || state == ConnectionState.SESSION_ENDED) {
      return;
    }
    if (!started.isDone()) {
      state = ConnectionState.CLOSED;
      started.completeExceptionally(new SealroomException(code == CLOSE_AUTH ? "unauthorized" : "io",
          "could not connect: " + reason));
      return;
    }
    state = ConnectionState.RECONNECTING;
    notifier.fire(l -> l.onDisconnected(code, reason));
    if (resetting) {
      return;
    }
    String refused = code == CLOSE_AUTH ? tokenRefused() : null;
    if (refused != null) {
      state = ConnectionState.SESSION_ENDED;
      sender.failAll(ended());
      feeds.all().forEach(f -> f.subscription.ended());
      notifier.fire(l -> l.onSessionEnded(refused));
      return;
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    engine.schedule(() -> {
      if (state == ConnectionState.RECONNECTING) {
        state = ConnectionState.CONNECTING;
        link.open(rest.token());
      }
    }, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
  }

  /** Null while the token is good; else why the server refuses it (a listener reason). */
  private String tokenRefused() {
    try {
      rest.get("/api/v1/me");
      return null;
    } catch (SealroomException e) {
      if (e.status() != 401) {
        return null;
      }
      return ClientListener.KEY_RESET.equals(e.reason()) ? ClientListener.KEY_RESET : ClientListener.TOKEN_REFUSED;
    }
  }

  private void ping() {
    if (state != ConnectionState.READY) {
      return;
    }
    long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameAt);
    if (idle > 2 * options.pingInterval().toMillis()) {
      link.abort("no answer to ping");
    } else {
      link.send(new JsonObject().put("op", "ping"));
    }
  }
}
