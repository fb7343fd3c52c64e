package io.sealroom.messages;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.Ids;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomService;
import io.sealroom.rooms.RoomStore;
import io.sealroom.rooms.Membership;
import io.sealroom.rooms.Timeline;
import io.sealroom.rooms.TimelineEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sending, history and search. A send is checked (shape, membership, room encryption rules,
 * known without a store read through the {@link RoomRulesCache}) and handed to the {@link Sequencer},
 * which stores it once per (user, cid) with the room's next seq, many sends per store round trip,
 * and makes it durable before it is published and acknowledged. Thread-safe; results complete on
 * the caller's context, except {@link SendOutcome#placed}.
 *
 * <p><b>Order.</b> This class keeps no queue and orders nothing: a send that passes its checks
 * goes to the Sequencer's queue, whose order is the room's seq order, and {@link SendOutcome#placed}
 * tells the caller when it is there, so that a caller that waits for it (the gateway's
 * per-connection send queue) keeps its own sends in order. Checks that read the store may finish
 * in any order, which is why that wait is needed. What it does keep, in {@code inFlight}, is one
 * entry per (user, cid) being sent on this node: a second send of the same cid while the first
 * is under way shares the first one's outcome instead of being checked and queued again (a
 * retry after the first was answered is recognised by the store's (uid, cid) index instead).
 */
public final class MessageService implements Timeline {
  private static final Logger LOG = Logger.getLogger(MessageService.class.getName());
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final int MAX_QUERY = 128;
  /** Rooms whose send rules and members are remembered (see {@link RoomRulesCache}). */
  static final int CACHED_ROOMS = 100_000;

  private final Vertx vertx;
  private final MessageStore messages;
  private final RoomStore rooms;
  private final RoomService roomService;
  private final Sequencer sequencer;
  private final RoomRulesCache roomRules;
  private final boolean allowUnencrypted;
  /** The outcome of each (user id, cid) being sent on this node, until it is answered. */
  private final Map<String, Future<Ack>> inFlight = new ConcurrentHashMap<>();
  private final KeyVersionCheck ukidCheck;
  private final Attachments attachments;
  /** store.opTimeoutMs: how long a send may take before it is answered unavailable. */
  private final long opTimeoutNanos;
  /** Pages of stored messages being read or read a moment ago (see {@link #range}). */
  private final Map<String, Future<List<Message>>> pages = new ConcurrentHashMap<>();
  static final long PAGE_TTL_MS = 2000;
  static final int MAX_PAGES = 128; // up to 500 messages each: bounded memory however many rooms resume

  /**
   * opTimeoutMs: store.opTimeoutMs, the longest a send waits before it is answered unavailable;
   * ukidCheck: whether a key version a send names is its sender's current one.
   */
  public MessageService(Vertx vertx, MessageStore messages, RoomStore rooms, RoomService roomService,
      MessagePublisher publisher, KeyVersionCheck ukidCheck, boolean allowUnencrypted, long opTimeoutMs) {
    this(vertx, messages, rooms, roomService, publisher, ukidCheck, Attachments.NONE, allowUnencrypted, opTimeoutMs);
  }

  /** As above, with the files that sends may attach. */
  public MessageService(Vertx vertx, MessageStore messages, RoomStore rooms, RoomService roomService,
      MessagePublisher publisher, KeyVersionCheck ukidCheck, Attachments attachments, boolean allowUnencrypted,
      long opTimeoutMs) {
    this.vertx = vertx;
    this.attachments = attachments;
    this.ukidCheck = ukidCheck;
    this.messages = messages;
    this.rooms = rooms;
    this.roomService = roomService;
    this.opTimeoutNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(opTimeoutMs);
    this.sequencer = new Sequencer(vertx, messages, publisher, opTimeoutMs);
    this.roomRules = new RoomRulesCache(rooms, CACHED_ROOMS);
    this.allowUnencrypted = allowUnencrypted;
  }

  /** A room or its membership changed (on this node or another): sends must look again. */
  public void roomChanged(String rid) {
    roomRules.invalidate(rid);
  }

  /** As {@link #send(AuthUser, SendRequest, long)}, for a send that arrives now. */
  public SendOutcome send(AuthUser sender, SendRequest req) {
    return send(sender, req, System.nanoTime());
  }

  /**
   * Checks and stores a send (see {@link SendOutcome} for what its two futures promise). Its
   * deadline, store.opTimeoutMs, counts from {@code arrivedNanos} (System.nanoTime), when it
   * arrived: sends that waited their turn behind one held up by the store are not answered one
   * deadline after another. A send not stored by its deadline is answered {@code unavailable}
   * (see {@link Sequencer}): retried with its cid, it is stored once.
   */
  public SendOutcome send(AuthUser sender, SendRequest req, long arrivedNanos) {
    Promise<Void> placed = Promise.promise();
    Future<Ack> acked = sendOnce(sender, req, placed, arrivedNanos + opTimeoutNanos);
    return new SendOutcome(placed.future(), acked);
  }

  /** Checks the shape, then stores the send unless the same (user, cid) is in flight here: then it shares that outcome. */
  private Future<Ack> sendOnce(AuthUser sender, SendRequest req, Promise<Void> placed, long deadline) {
    try {
      MessageRules.checkShape(req);
    } catch (ApiException e) {
      placed.tryComplete();
      return Future.failedFuture(e);
    }
    String key = sender.id() + "\u0000" + req.cid();
    Promise<Ack> mine = Promise.promise();
    Future<Ack> running = inFlight.putIfAbsent(key, mine.future());
    if (running != null) {
      placed.tryComplete(); // a retry: its place is the first attempt's
      return onCallerContext(running);
    }
    Future<Ack> result = store(sender, req, placed, deadline);
    result.onComplete(ar -> {
      inFlight.remove(key);
      mine.handle(ar);
    });
    return result;
  }

  private Future<Ack> store(AuthUser sender, SendRequest req, Promise<Void> placed, long deadline) {
    // room and membership come from the cache (no store read when known); a retried cid is recognised by its unique index
    // the checks answer by the send's deadline (a queued send's includes its wait for its turn)
    Future<Ack> stored = byDeadline(Future.all(roomRules.room(req.rid()), roomRules.isMember(req.rid(), sender.id())), deadline)
        .recover(t -> Future.failedFuture(ApiException.from(t)))
        .compose(cf -> {
          Room room = cf.resultAt(0);
          boolean member = cf.<Boolean>resultAt(1);
          if (room == null) {
            return Future.failedFuture(ApiException.notFound("room"));
          }
          if (!member) {
            return Future.failedFuture(new ApiException(io.sealroom.common.ErrorCode.NOT_MEMBER,
                "you are not a member of this room"));
          }
          try {
            MessageRules.checkAgainstRoom(req, room, allowUnencrypted);
          } catch (ApiException e) {
            return Future.failedFuture(e);
          }
          if (req.e2e() != null && req.e2e().ukid() != null) {
            // a named key version must be the sender's current one
            return byDeadline(ukidCheck.checkCurrent(sender.id(), req.e2e().ukid()), deadline)
                .recover(t -> Future.failedFuture(ApiException.from(t)))
                .compose(v -> withFiles(sender, req, room.encrypted(), placed, deadline));
          }
          return withFiles(sender, req, room.encrypted(), placed, deadline);
        });
    stored.onComplete(ar -> placed.tryComplete());
    return stored;
  }

  /** Claims the send's files (if any) for it, then numbers it; once it is stored they are confirmed. */
  private Future<Ack> withFiles(AuthUser sender, SendRequest req, boolean encrypted, Promise<Void> placed,
      long deadline) {
    String id = Ids.newPublicId();
    if (req.files().isEmpty()) {
      return number(id, sender, req, List.of(), placed, deadline);
    }
    return byDeadline(attachments.claim(sender.id(), req.rid(), req.cid(), req.files()), deadline)
        .recover(t -> Future.failedFuture(ApiException.from(t)))
        .compose(files -> {
          if (encrypted && files.stream().anyMatch(f -> f.name() != null || f.type() != null)) {
            // uploaded while the room was plain: its name would be in the clear in an encrypted room
            attachments.released(sender.id(), req.cid(), files);
            return Future.failedFuture(ApiException.invalid("files",
                "a file uploaded with a name or type cannot be attached in an encrypted room"));
          }
          return number(id, sender, req, files, placed, deadline).andThen(ar -> {
            if (ar.succeeded() && ar.result().id().equals(id)) {
              attachments.confirmed(files);
            } else if (ar.failed() && ar.cause() instanceof ApiException e
                && e.code() != io.sealroom.common.ErrorCode.UNAVAILABLE) {
              attachments.released(sender.id(), req.cid(), files); // refused for good: never stored
            }
            // a retry answered with the message stored earlier, or a send that may still be stored:
            // the files stay claimed, and the sweep keeps those its message lists and frees the rest
          });
        });
  }

  private Future<Ack> number(String id, AuthUser sender, SendRequest req, List<Attachment> files,
      Promise<Void> placed, long deadline) {
    Future<Ack> numbered = sequencer.store(new Message(id, req.rid(), 0, sender.id(), sender.username(),
        System.currentTimeMillis(), req.cid(), req.text(), req.e2e(), null, files), deadline);
    placed.tryComplete(); // queued in the sequencer, behind everything queued before it
    return numbered;
  }

  /** The outcome, or unavailable at the send's deadline if it is still under way then. */
  private <T> Future<T> byDeadline(Future<T> f, long deadline) {
    long remainingMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return io.sealroom.common.Timeouts.within(vertx, f, remainingMs, () -> Sequencer.LATE, null);
  }

  private <T> Future<T> onCallerContext(Future<T> f) {
    Context ctx = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /**
   * Appends a timeline event: it takes the room's next seq, is published live and replayed like
   * a message (its cid is internal: clients' cids cannot start with '!'). A failure is logged,
   * not passed on: the change it records stands.
   */
  @Override
  public Future<Long> append(String rid, String uid, String username, TimelineEvent event) {
    Message m = new Message(Ids.newPublicId(), rid, 0, uid, username, System.currentTimeMillis(),
        Message.EVENT_CID_PREFIX + Ids.newPublicId(), null, null, event);
    return sequencer.store(m, System.nanoTime() + opTimeoutNanos).map(Ack::seq).recover(t -> {
      LOG.log(Level.WARNING, "timeline event " + event.type() + " of room " + rid + " was not stored: " + t);
      return Future.succeededFuture(0L);
    });
  }

  /**
   * A page of history for a member, ascending: the limit seqs after {@code after}, or, without
   * it, the newest limit seqs before {@code before} (or up to the head). Bounds are exclusive.
   */
  public Future<History> history(AuthUser caller, String rid, Long after, Long before, Integer limit) {
    int n = limit == null ? DEFAULT_LIMIT : Math.min(Math.max(limit, 1), MAX_LIMIT);
    return roomService.requireMember(caller.id(), rid).compose(room -> head(rid)).compose(head -> {
      long top = Math.min(head, before == null ? Long.MAX_VALUE : before - 1);
      long from = after == null ? Math.max(1, top - n + 1) : after + 1;
      long to = after == null ? top : Math.min(top, after + n);
      if (from > to) {
        return Future.succeededFuture(new History(List.of(), head));
      }
      return messages.range(rid, from, to).map(list -> new History(list, head));
    });
  }

  /**
   * The room's head: its highest stored seq (membership checked by the caller). Every message
   * published so far is at or below it, which is what resuming a subscription relies on.
   */
  public Future<Long> head(String rid) {
    return messages.head(rid);
  }

  /**
   * Stored messages with from &lt;= seq &lt;= to (for resuming subscriptions; membership checked
   * by the caller). Stored messages never change, so a page read for one subscriber serves every
   * other subscriber that asks for the same page while it is read and for {@link #PAGE_TTL_MS}
   * after: a reconnect storm (everyone resuming from the same seq) reads each page once.
   */
  public Future<List<Message>> range(String rid, long from, long to) {
    String key = rid + ":" + from + ":" + to;
    Future<List<Message>> shared = pages.get(key);
    if (shared != null) {
      return onCallerContext(shared);
    }
    Future<List<Message>> read = messages.range(rid, from, to);
    if (pages.size() < MAX_PAGES && pages.putIfAbsent(key, read) == null) {
      read.onComplete(ar -> {
        if (ar.failed()) {
          pages.remove(key, read);
        } else {
          vertx.setTimer(PAGE_TTL_MS, t -> pages.remove(key, read));
        }
      });
    }
    return read;
  }

  /** Plain-text messages in the caller's rooms containing q, case-insensitively; encrypted ones never match. */
  public Future<List<Message>> search(AuthUser caller, String q) {
    if (q == null || q.isBlank()) {
      return Future.failedFuture(ApiException.invalid("q", "is required"));
    }
    if (q.length() > MAX_QUERY) {
      return Future.failedFuture(ApiException.invalid("q", "must be at most " + MAX_QUERY + " characters"));
    }
    return rooms.membershipsOfUser(caller.id()).compose(subs -> subs.isEmpty()
        ? Future.succeededFuture(List.of())
        : messages.searchText(subs.stream().map(Membership::rid).toList(), q.strip(), DEFAULT_LIMIT));
  }
}
