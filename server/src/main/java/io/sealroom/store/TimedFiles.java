package io.sealroom.store;

import io.sealroom.files.FileStore;
import io.sealroom.files.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * A {@link FileStore} whose metadata operations and blob opens are bound by the store deadline
 * (store.opTimeoutMs). Writing a blob is not: it lasts as long as the upload streams, and the
 * HTTP layer bounds each wait for its bytes instead.
 */
public record TimedFiles(FileStore s, StoreDeadline d) implements FileStore {
  @Override
  public Future<Void> writeBlob(String fid, ReadStream<Buffer> bytes) {
    return s.writeBlob(fid, bytes);
  }

  @Override
  public Future<Blob> readBlob(String fid, long offset, long length) {
    return d.bound(s.readBlob(fid, offset, length));
  }

  @Override
  public Future<Void> deleteBlob(String fid) {
    return s.deleteBlob(fid);
  }

  @Override
  public Future<Void> add(StoredFile f, long quotaBytes) {
    return d.bound(s.add(f, quotaBytes));
  }

  @Override
  public Future<StoredFile> find(String fid) {
    return d.bound(s.find(fid));
  }

  @Override
  public Future<List<StoredFile>> claim(List<String> fids, String uid, String rid, String cid) {
    return d.bound(s.claim(fids, uid, rid, cid));
  }

  @Override
  public Future<Void> confirm(List<String> fids) {
    return d.bound(s.confirm(fids));
  }

  @Override
  public Future<List<StoredFile>> unattachedBefore(long createdBefore, int limit) {
    return s.unattachedBefore(createdBefore, limit);
  }

  @Override
  public Future<Void> unclaim(List<String> fids, String cid) {
    return d.bound(s.unclaim(fids, cid));
  }

  @Override
  public Future<Boolean> removeUnattached(String fid, boolean onlyUnclaimed) {
    return d.bound(s.removeUnattached(fid, onlyUnclaimed));
  }

  @Override
  public Future<Long> usage(String uid) {
    return d.bound(s.usage(uid));
  }

  @Override
  public Future<Long> totalBytes() {
    return d.bound(s.totalBytes());
  }
}
