package io.sealroom.files;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * Where files live: their bytes (blobs) and their metadata, on one engine (the embedded store's
 * data directory, or GridFS). Every write completes only once it is durable. Futures complete on
 * the caller's context.
 */
public interface FileStore {
  /**
   * Streams {@code bytes} into the new blob {@code fid} and completes once all of it is durable.
   * The stream is paused and this resumes it; when it fails (or ends in failure) nothing of the
   * blob is kept.
   */
  Future<Void> writeBlob(String fid, ReadStream<Buffer> bytes);

  /** {@code length} bytes of the blob from {@code offset}; fails not_found when there is no such blob. */
  Future<Blob> readBlob(String fid, long offset, long length);

  /** Removes the blob (nothing when there is none). */
  Future<Void> deleteBlob(String fid);

  /** An open read of a blob: pipe its stream, then close it (also after a failure). */
  interface Blob {
    ReadStream<Buffer> stream();

    void close();
  }

  /**
   * Records a file whose blob is stored, adding its size to its uploader's usage, atomically:
   * fails {@link QuotaExceeded} (recording nothing) when the usage would pass {@code quotaBytes}.
   */
  Future<Void> add(StoredFile f, long quotaBytes);

  /** The file's metadata or null. */
  Future<StoredFile> find(String fid);

  /**
   * Claims files for the message (uid, cid), all or none: each must exist, have been uploaded by
   * uid to rid and be unclaimed or claimed by the same cid. Succeeds with them in the order
   * given; fails {@link NotClaimable} naming the first that is not.
   */
  Future<List<StoredFile>> claim(List<String> fids, String uid, String rid, String cid);

  /** Marks claimed files attached: their message is stored. */
  Future<Void> confirm(List<String> fids);

  /** Gives back the claims of the message with this cid on these files (those not attached yet). */
  Future<Void> unclaim(List<String> fids, String cid);

  /** Up to limit files not attached and created before the time, oldest first. */
  Future<List<StoredFile>> unattachedBefore(long createdBefore, int limit);

  /**
   * Removes a file's metadata, taking its size off its uploader's usage, if it is still not
   * attached (and, with {@code onlyUnclaimed}, not claimed by a message either), decided
   * atomically with the removal. True when removed. The caller deletes its blob afterwards.
   */
  Future<Boolean> removeUnattached(String fid, boolean onlyUnclaimed);

  /** The bytes of a user's stored files. */
  Future<Long> usage(String uid);

  /** The bytes of all stored files. */
  Future<Long> totalBytes();

  /** The upload would take its uploader past the quota. */
  final class QuotaExceeded extends RuntimeException {
    public QuotaExceeded() {
      super("quota exceeded", null, false, false);
    }
  }

  /** A file named by a send cannot be attached to it. */
  final class NotClaimable extends RuntimeException {
    public final String fid;

    public NotClaimable(String fid) {
      super("file cannot be attached: " + fid, null, false, false);
      this.fid = fid;
    }
  }
}
