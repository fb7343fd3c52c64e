package io.sealroom.store.mongo;

import io.sealroom.common.ApiException;
import io.sealroom.files.FileStore;
import io.sealroom.files.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link FileStore} of the mongodb engine: bytes in GridFS ({@link GridFsBlobs}), metadata in
 * {@value MongoCollections#FILES} ({@link StoredFile#toDoc}, {@code _id} = the file id) and
 * {@value MongoCollections#FILE_USAGE} ({@code {_id: uid, bytes}} per uploader, and
 * {@code {_id: "#total", bytes}} for all files).
 * <p>
 * Without transactions, each operation is a sequence of single-document conditional updates that
 * undoes what it did when a later step fails: {@link #add} reserves its size in the usage document
 * with an update that matches only while the sum stays within the quota (so concurrent uploads,
 * on any node, never pass it), then counts the total, then inserts the file; {@link #claim} takes
 * each unclaimed file with an update that matches only while it is unclaimed, in id order (of two
 * overlapping claims one gets them all), and gives back what it took when one is gone. A step
 * that fails because the store cannot be reached leaves the counters off by that file at worst.
 */
public final class MongoFileStore implements FileStore {
  private static final Logger LOG = Logger.getLogger(MongoFileStore.class.getName());
  /** The GridFS bucket of file bytes: {@code blobs.files} and {@code blobs.chunks}. */
  public static final String BUCKET = GridFsBlobs.BUCKET;
  /** The usage document of all files (user ids are 20 letters and digits). */
  static final String TOTAL = "#total";

  private final MongoClient mongo;
  private final GridFsBlobs blobs;

  public MongoFileStore(MongoClient mongo) {
    this.mongo = mongo;
    this.blobs = new GridFsBlobs(mongo);
  }

  @Override
  public Future<Void> writeBlob(String fid, ReadStream<Buffer> bytes) {
    return blobs.write(fid, bytes).recover(MongoFileStore::failure);
  }

  @Override
  public Future<Blob> readBlob(String fid, long offset, long length) {
    return blobs.read(fid, offset, length).recover(MongoFileStore::failure);
  }

  @Override
  public Future<Void> deleteBlob(String fid) {
    return blobs.delete(fid).recover(MongoFileStore::failure);
  }

  @Override
  public Future<Void> add(StoredFile f, long quotaBytes) {
    long size = f.size();
    return reserve(f.uid(), size, quotaBytes, true).compose(reserved -> {
      if (!reserved) {
        return Future.<Void>failedFuture(new QuotaExceeded());
      }
      return addBytes(TOTAL, size).compose(
          counted -> mongo.insert(MongoCollections.FILES, f.toDoc()).<Void>mapEmpty()
              .recover(t -> undo(Future.join(addBytes(f.uid(), -size), addBytes(TOTAL, -size)), t)),
          t -> undo(addBytes(f.uid(), -size), t));
    }).recover(MongoFileStore::failure);
  }

  /**
   * Adds size to the user's usage if it stays within the quota: a conditional increment, or the
   * first usage document. When that insert loses to a concurrent one, the document exists and
   * the increment is tried once more; no match then means the quota would be passed.
   */
  private Future<Boolean> reserve(String uid, long size, long quota, boolean mayCreate) {
    if (size > quota) {
      return Future.succeededFuture(false);
    }
    JsonObject withinQuota = new JsonObject().put("_id", uid)
        .put("bytes", new JsonObject().put("$lte", quota - size));
    return mongo.updateCollection(MongoCollections.FILE_USAGE, withinQuota, inc(size)).compose(r -> {
      if (r != null && r.getDocMatched() == 1) {
        return Future.succeededFuture(true);
      }
      if (!mayCreate) {
        return Future.succeededFuture(false);
      }
      return mongo.insert(MongoCollections.FILE_USAGE, new JsonObject().put("_id", uid).put("bytes", size))
          .map(id -> true)
          .recover(t -> StoreErrors.isDuplicateKey(t) ? reserve(uid, size, quota, false) : Future.failedFuture(t));
    });
  }

  /** Adds delta to a usage document, creating it (a concurrent creation is retried once as an increment). */
  private Future<Void> addBytes(String id, long delta) {
    JsonObject q = new JsonObject().put("_id", id);
    UpdateOptions upsert = new UpdateOptions().setUpsert(true);
    return mongo.updateCollectionWithOptions(MongoCollections.FILE_USAGE, q, inc(delta), upsert)
        .recover(t -> StoreErrors.isDuplicateKey(t)
            ? mongo.updateCollection(MongoCollections.FILE_USAGE, q, inc(delta)) : Future.failedFuture(t))
        .mapEmpty();
  }

  private static JsonObject inc(long delta) {
    return new JsonObject().put("$inc", new JsonObject().put("bytes", delta));
  }

  /** Fails with t once the undo has run (an undo that fails too is logged: the counters are off by it). */
  private static <T> Future<T> undo(Future<?> undo, Throwable t) {
    return undo.transform(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "file usage not restored after a failed write: " + ar.cause());
      }
      return Future.failedFuture(t);
    });
  }

  @Override
  public Future<StoredFile> find(String fid) {
    return mongo.findOne(MongoCollections.FILES, new JsonObject().put("_id", fid), null)
        .map(d -> d == null ? null : StoredFile.fromDoc(d))
        .recover(MongoFileStore::failure);
  }

  @Override
  public Future<List<StoredFile>> claim(List<String> fids, String uid, String rid, String cid) {
    List<String> ids = List.copyOf(fids);
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>(ids);
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(distinct))));
    return mongo.find(MongoCollections.FILES, q).compose(docs -> {
      Map<String, StoredFile> byId = new HashMap<>();
      docs.forEach(d -> byId.put(d.getString("_id"), StoredFile.fromDoc(d)));
      for (String fid : ids) {
        if (!claimable(byId.get(fid), uid, rid, cid)) {
          return Future.failedFuture(new NotClaimable(fid));
        }
      }
      List<String> unclaimed = distinct.stream().filter(fid -> byId.get(fid).cid() == null).sorted().toList();
      return take(unclaimed, 0, uid, rid, cid, new ArrayList<>())
          .map(v -> ids.stream().map(fid -> byId.get(fid).claimedBy(cid)).toList());
    }).recover(MongoFileStore::failure);
  }

  private static boolean claimable(StoredFile f, String uid, String rid, String cid) {
    return f != null && f.uid().equals(uid) && f.rid().equals(rid) && (f.cid() == null || f.cid().equals(cid));
  }

  /**
   * Takes files[i..] for cid, each with an update that matches only while it is unclaimed; a miss
   * that finds the file claimed by the same cid (a concurrent retry of the send) is not one. On a
   * real miss, what this call took is given back and the claim fails naming that file.
   */
  private Future<Void> take(List<String> files, int i, String uid, String rid, String cid, List<String> taken) {
    if (i == files.size()) {
      return Future.succeededFuture();
    }
    String fid = files.get(i);
    JsonObject unclaimed = new JsonObject().put("_id", fid).putNull("cid");
    JsonObject set = new JsonObject().put("$set", new JsonObject().put("cid", cid)
        .put("claimedAt", System.currentTimeMillis()));
    // an update that lost a race may also fail outright (a write conflict): either way the file
    // is read again, and whoever holds it decides
    return mongo.updateCollection(MongoCollections.FILES, unclaimed, set).transform(ar -> {
      if (ar.succeeded() && ar.result() != null && ar.result().getDocMatched() == 1) {
        taken.add(fid);
        return take(files, i + 1, uid, rid, cid, taken);
      }
      return find(fid).compose(now -> now != null && cid.equals(now.cid()) && claimable(now, uid, rid, cid)
          ? take(files, i + 1, uid, rid, cid, taken)
          : undo(giveBack(taken, cid), new NotClaimable(fid)),
          t -> undo(giveBack(taken, cid), ar.failed() ? ar.cause() : t));
    });
  }

  private Future<?> giveBack(List<String> taken, String cid) {
    List<Future<?>> undos = new ArrayList<>();
    for (String fid : taken) {
      undos.add(mongo.updateCollection(MongoCollections.FILES, new JsonObject().put("_id", fid).put("cid", cid),
          new JsonObject().put("$unset", new JsonObject().put("cid", "").put("claimedAt", ""))));
    }
    return Future.join(undos);
  }

  @Override
  public Future<Void> unclaim(List<String> fids, String cid) {
    List<Future<?>> undos = new ArrayList<>();
    for (String fid : fids) {
      undos.add(mongo.updateCollection(MongoCollections.FILES,
          new JsonObject().put("_id", fid).put("cid", cid).put("attached", false),
          new JsonObject().put("$unset", new JsonObject().put("cid", "").put("claimedAt", ""))));
    }
    return Future.all(undos).<Void>mapEmpty().recover(MongoFileStore::failure);
  }

  @Override
  public Future<Void> confirm(List<String> fids) {
    if (fids.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(List.copyOf(fids))));
    return mongo.updateCollectionWithOptions(MongoCollections.FILES, q,
            new JsonObject().put("$set", new JsonObject().put("attached", true)), new UpdateOptions().setMulti(true))
        .<Void>mapEmpty()
        .recover(MongoFileStore::failure);
  }

  @Override
  public Future<List<StoredFile>> unattachedBefore(long createdBefore, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    JsonObject q = new JsonObject().put("attached", false)
        .put("createdAt", new JsonObject().put("$lt", createdBefore));
    FindOptions oldestFirst = new FindOptions().setSort(new JsonObject().put("createdAt", 1).put("_id", 1))
        .setLimit(limit);
    return mongo.findWithOptions(MongoCollections.FILES, q, oldestFirst)
        .map(docs -> docs.stream().map(StoredFile::fromDoc).toList())
        .recover(MongoFileStore::failure);
  }

  /**
   * Deletes the file document if it is not attached, then takes its size off the counters. The
   * document is gone once the delete answers, so the caller deletes the blob even when the
   * counters cannot be updated then (they stay high by its size: logged).
   */
  @Override
  public Future<Boolean> removeUnattached(String fid, boolean onlyUnclaimed) {
    JsonObject q = new JsonObject().put("_id", fid).put("attached", false);
    if (onlyUnclaimed) {
      q.putNull("cid"); // matches a missing cid too
    }
    return mongo.findOneAndDelete(MongoCollections.FILES, q).compose(d -> {
      if (d == null) {
        return Future.succeededFuture(false);
      }
      StoredFile f = StoredFile.fromDoc(d);
      return Future.join(addBytes(f.uid(), -f.size()), addBytes(TOTAL, -f.size())).transform(ar -> {
        if (ar.failed()) {
          LOG.log(Level.WARNING, "file usage not lowered after removing " + f + ": " + ar.cause());
        }
        return Future.succeededFuture(true);
      });
    }).recover(MongoFileStore::failure);
  }

  @Override
  public Future<Long> usage(String uid) {
    return bytesOf(uid);
  }

  @Override
  public Future<Long> totalBytes() {
    return bytesOf(TOTAL);
  }

  private Future<Long> bytesOf(String id) {
    return mongo.findOne(MongoCollections.FILE_USAGE, new JsonObject().put("_id", id), null)
        .map(d -> d == null ? 0L : Math.max(0L, d.getLong("bytes", 0L)))
        .recover(MongoFileStore::failure);
  }

  /** The store's own refusals and domain errors pass; anything else is unavailable. */
  private static <T> Future<T> failure(Throwable t) {
    if (t instanceof QuotaExceeded || t instanceof NotClaimable || t instanceof ApiException) {
      return Future.failedFuture(t);
    }
    return StoreErrors.unavailable(t);
  }
}
