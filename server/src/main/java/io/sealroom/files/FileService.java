package io.sealroom.files;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.sealroom.messages.Attachment;
import io.sealroom.messages.Attachments;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.Membership;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Files in rooms (docs/protocol.md, "Files"): uploads streamed to the {@link FileStore} within
 * the size limit and the uploader's quota, reads for current members only, the claims that
 * attach files to messages, and the collection of uploads never attached. Node-wide and
 * thread-safe; futures complete on the caller's context.
 */
public final class FileService implements Attachments {
  private static final Logger LOG = Logger.getLogger(FileService.class.getName());
  static final int SWEEP_BATCH = 100;
  /** How long a claim protects a file from collection: far longer than any send takes. */
  static final long CLAIM_GRACE_MS = 10 * 60_000;

  private final Vertx vertx;
  private final FileStore store;
  private final RoomStore rooms;
  private final MessageStore messages;
  private final Config.Files limits;
  private final FileMetrics metrics;
  /** Bytes of each user's uploads under way on this node: they count against the quota. */
  private final Map<String, AtomicLong> underWay = new ConcurrentHashMap<>();
  private long sweepTimer = -1;

  public FileService(Vertx vertx, FileStore store, RoomStore rooms, MessageStore messages, Config.Files limits,
      FileMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.rooms = rooms;
    this.messages = messages;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** What a download needs: the file, and whether it is shown inline (a plain room's image). */
  public record Readable(StoredFile file, boolean inline) {
  }

  /**
   * Stores an upload of a member of the room. {@code body} is paused; it is read from here on.
   * {@code declaredLength} is the Content-Length (null when chunked). When the body passes a
   * limit, {@code onLimit} gets the refusal at once (too_large or quota_exceeded) and nothing is
   * kept; the returned future then fails with it too. {@code gone} completes when the client goes
   * (the connection closed or failed) at any point, even before the body is read: the upload then
   * ends, keeping nothing and releasing what it reserved.
   */
  public Future<Attachment> upload(AuthUser u, String rid, String rawName, String rawType, Long declaredLength,
      ReadStream<Buffer> body, Future<Void> gone, Consumer<ApiException> onLimit) {
    String name;
    String type;
    try {
      name = FileRules.name(rawName);
      type = FileRules.type(rawType);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    if (declaredLength != null && declaredLength > limits.maxBytes()) {
      return Future.failedFuture(tooLarge());
    }
    return Future.all(rooms.findRoom(rid), rooms.findMembership(rid, u.id()), store.usage(u.id())).compose(cf -> {
      Room room = cf.resultAt(0);
      Membership m = cf.resultAt(1);
      long usage = cf.<Long>resultAt(2);
      if (room == null || m == null) {
        return Future.failedFuture(ApiException.notFound("room"));
      }
      if (room.encrypted() && name != null) {
        return Future.failedFuture(ApiException.invalid("name", "an encrypted room's file names are in the ciphertext"));
      }
      if (room.encrypted() && type != null) {
        return Future.failedFuture(ApiException.invalid("type", "an encrypted room's file types are in the ciphertext"));
      }
      return store(u, room, name, type, usage, declaredLength, body, gone, onLimit);
    });
  }

  /**
   * Streams the body to the store. A declared length is reserved against the quota before the
   * first byte (so of several uploads at once, those that fit all pass); a chunked body reserves
   * as it arrives.
   */
  private Future<Attachment> store(AuthUser u, Room room, String name, String type, long usage, Long declared,
      ReadStream<Buffer> body, Future<Void> gone, Consumer<ApiException> onLimit) {
    AtomicLong all = underWay.computeIfAbsent(u.id(), k -> new AtomicLong());
    long[] reserved = {0};
    if (declared != null) {
      if (all.addAndGet(declared) + usage > limits.quotaBytes()) {
        release(u.id(), all, declared);
        return Future.failedFuture(quotaExceeded());
      }
      reserved[0] = declared;
    }
    LimitedUpload bytes = new LimitedUpload(body, declared != null ? declared : limits.maxBytes(),
        declared != null ? () -> Long.MAX_VALUE : () -> limits.quotaBytes() - usage - all.get(),
        n -> {
          if (declared == null) {
            reserved[0] += n;
            all.addAndGet(n);
          }
        }, onLimit);
    // the client may already be gone (nothing else would ever end this upload then)
    gone.onComplete(ar -> bytes.abort(ApiException.invalid("body", "the upload was cut off")));
    String fid = Ids.newId();
    Future<Attachment> stored = store.writeBlob(fid, bytes).compose(v -> {
      StoredFile f = new StoredFile(fid, room.id(), u.id(), bytes.count(), bytes.sha256(), name, type,
          System.currentTimeMillis(), null, false);
      return store.add(f, limits.quotaBytes()).recover(t -> {
        store.deleteBlob(fid);
        return Future.failedFuture(t instanceof FileStore.QuotaExceeded ? quotaExceeded() : ApiException.from(t));
      }).map(x -> {
        metrics.uploaded(f.size());
        refreshTotal();
        return f.attachment();
      });
    });
    return stored.andThen(ar -> release(u.id(), all, reserved[0]));
  }

  private void release(String uid, AtomicLong all, long bytes) {
    if (all.addAndGet(-bytes) == 0) {
      underWay.remove(uid, all);
    }
  }

  /**
   * A file the caller may read: a current member of its room, and its uploader while it is not
   * attached to a message. Anyone else gets not_found, as for a file that does not exist.
   */
  public Future<Readable> readable(AuthUser u, String fid) {
    if (!FileRules.isId(fid)) {
      return Future.failedFuture(ApiException.notFound("file"));
    }
    return store.find(fid).compose(f -> {
      if (f == null) {
        return Future.failedFuture(ApiException.notFound("file"));
      }
      Future<Boolean> shown = f.attached() || f.uid().equals(u.id()) ? Future.succeededFuture(true) : storedWith(f);
      return shown.compose(ok -> !ok ? Future.failedFuture(ApiException.notFound("file"))
          : rooms.findMembership(f.rid(), u.id()).compose(m -> m == null
              ? Future.failedFuture(ApiException.notFound("file"))
              : Future.succeededFuture(new Readable(f, FileRules.inline(f.type())))));
    });
  }

  /**
   * Whether a claimed file's message is stored and lists it (its members may see it then, even
   * before the claim is confirmed: the message is published before that), confirming it if so.
   */
  private Future<Boolean> storedWith(StoredFile f) {
    if (f.cid() == null) {
      return Future.succeededFuture(false);
    }
    return messages.findByCid(f.uid(), f.cid()).map(m -> {
      boolean listed = m != null && m.files().stream().anyMatch(a -> a.id().equals(f.id()));
      if (listed) {
        store.confirm(List.of(f.id()));
      }
      return listed;
    });
  }

  /** Opens length bytes of a readable file from offset. */
  public Future<FileStore.Blob> open(StoredFile f, long offset, long length) {
    return store.readBlob(f.id(), offset, length);
  }

  public void served(long bytes) {
    metrics.served(bytes);
  }

  /** Deletes the caller's upload while no message has claimed it; anything else is not_found. */
  public Future<Void> delete(AuthUser u, String fid) {
    if (!FileRules.isId(fid)) {
      return Future.failedFuture(ApiException.notFound("file"));
    }
    return store.find(fid).compose(f -> {
      if (f == null || !f.uid().equals(u.id()) || f.attached() || f.cid() != null) {
        return Future.failedFuture(ApiException.notFound("file"));
      }
      return store.removeUnattached(fid, true).compose(removed -> removed
          ? store.deleteBlob(fid).onComplete(ar -> refreshTotal())
          : Future.failedFuture(ApiException.notFound("file")));
    });
  }

  @Override
  public Future<List<Attachment>> claim(String uid, String rid, String cid, List<String> fids) {
    return store.claim(fids, uid, rid, cid).map(list -> list.stream().map(StoredFile::attachment).toList())
        .recover(t -> Future.failedFuture(t instanceof FileStore.NotClaimable nc
            ? ApiException.invalid("files", "file " + nc.fid + " is not an unattached upload of yours to this room")
            : ApiException.from(t)));
  }

  @Override
  public void confirmed(List<Attachment> files) {
    store.confirm(files.stream().map(Attachment::id).toList()).onFailure(t ->
        LOG.log(Level.WARNING, "attached files not confirmed yet (downloads and the sweep check their message): " + t));
  }

  @Override
  public void released(String uid, String cid, List<Attachment> files) {
    store.unclaim(files.stream().map(Attachment::id).toList(), cid).onFailure(t ->
        LOG.log(Level.WARNING, "claims of a refused send not given back (the sweep frees them): " + t));
  }

  /** Starts collecting unattached uploads: every quarter of files.orphanTtlSeconds, 1 s to 10 min. */
  public void startSweeping() {
    long period = Math.max(1000, Math.min(600_000, limits.orphanTtlSeconds() * 1000L / 4));
    sweepTimer = vertx.setPeriodic(Math.min(period, 5000), period, id -> sweep());
  }

  public void stopSweeping() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  /**
   * One pass: each upload older than the TTL and not attached is deleted, unless it was claimed
   * by a message that was stored after all (then it is marked attached). Succeeds with the count
   * deleted.
   */
  public Future<Integer> sweep() {
    long before = System.currentTimeMillis() - limits.orphanTtlSeconds() * 1000L;
    return store.unattachedBefore(before, SWEEP_BATCH).compose(list -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (StoredFile f : list) {
        chain = chain.compose(n -> collect(f).map(deleted -> deleted ? n + 1 : n));
      }
      // a full batch that freed something: there may be more behind it (one that freed nothing is all in use)
      return chain.compose(n -> list.size() == SWEEP_BATCH && n > 0 ? sweep().map(m -> n + m)
          : Future.succeededFuture(n));
    }).andThen(ar -> {
      refreshTotal();
      if (ar.failed()) {
        LOG.log(Level.WARNING, "collecting unattached files failed (retried at the next sweep): " + ar.cause());
      }
    });
  }

  /**
   * Collects one old unattached file. A claimed one is left alone for {@link #CLAIM_GRACE_MS}
   * after its claim (its send may still be under way); after that it is kept (and confirmed) if
   * its message is stored and lists it, and deleted otherwise.
   */
  private Future<Boolean> collect(StoredFile f) {
    if (f.cid() != null && System.currentTimeMillis() - f.claimedAt() < CLAIM_GRACE_MS) {
      return Future.succeededFuture(false);
    }
    return storedWith(f).compose(kept -> kept ? Future.succeededFuture(false)
        : store.removeUnattached(f.id(), false).compose(removed -> removed
            ? store.deleteBlob(f.id()).map(true)
            : Future.succeededFuture(false)));
  }

  private void refreshTotal() {
    store.totalBytes().onSuccess(metrics::stored);
  }

  private static ApiException tooLarge() {
    return new ApiException(ErrorCode.TOO_LARGE, "the file is larger than files.maxBytes");
  }

  private static ApiException quotaExceeded() {
    return new ApiException(ErrorCode.QUOTA_EXCEEDED, "your stored files would pass your quota");
  }
}
