package io.sealroom.store.rocksdb;

import io.sealroom.files.FileStore;
import io.sealroom.files.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link FileStore} of the embedded engine: bytes in a {@link BlobDir}, metadata in RocksDB.
 * <pre>
 * f fid              file document ({@link StoredFile#toDoc})
 * o createdAt fid    (empty): a file not attached yet, by age (createdAt as 8 big-endian bytes)
 * g uid              {"bytes":n}: the user's stored files
 * G                  {"bytes":n}: all stored files
 * </pre>
 * The writer thread decides every condition (quota, claims), so concurrent uploads and sends
 * never pass the quota or claim a file twice.
 */
public final class RocksFileStore implements FileStore {
  static final byte FILE = 'f';
  static final byte UNATTACHED = 'o';
  static final byte USAGE = 'g';
  static final byte TOTAL = 'G';
  private final RocksEngine engine;
  private final BlobDir blobs;

  RocksFileStore(RocksEngine engine, BlobDir blobs) {
    this.engine = engine;
    this.blobs = blobs;
  }

  private static byte[] fileKey(String fid) {
    return Codec.key(FILE, fid);
  }

  private static byte[] unattachedKey(long createdAt, String fid) {
    byte[] k = new byte[1 + 8 + fid.length()];
    k[0] = UNATTACHED;
    for (int i = 0; i < 8; i++) {
      k[1 + i] = (byte) (createdAt >>> (56 - 8 * i));
    }
    byte[] id = fid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(id, 0, k, 9, id.length);
    return k;
  }

  private static long bytesAt(View v, byte[] key) {
    JsonObject d = v.doc(key);
    return d == null ? 0 : d.getLong("bytes", 0L);
  }

  private static void addBytes(Tx tx, byte[] key, long delta) {
    tx.put(key, new JsonObject().put("bytes", Math.max(0, bytesAt(tx, key) + delta)));
  }

  @Override
  public Future<Void> writeBlob(String fid, ReadStream<Buffer> bytes) {
    return blobs.write(fid, bytes);
  }

  @Override
  public Future<Blob> readBlob(String fid, long offset, long length) {
    return blobs.read(fid, offset, length);
  }

  @Override
  public Future<Void> deleteBlob(String fid) {
    return blobs.delete(fid);
  }

  @Override
  public Future<Void> add(StoredFile f, long quotaBytes) {
    byte[] usage = Codec.key(USAGE, f.uid());
    return engine.write(tx -> {
      if (bytesAt(tx, usage) + f.size() > quotaBytes) {
        return false;
      }
      tx.put(fileKey(f.id()), f.toDoc());
      tx.put(unattachedKey(f.createdAt(), f.id()), Codec.EMPTY);
      addBytes(tx, usage, f.size());
      addBytes(tx, new byte[] {TOTAL}, f.size());
      return true;
    }).compose(ok -> ok ? Future.<Void>succeededFuture() : Future.failedFuture(new QuotaExceeded()));
  }

  @Override
  public Future<StoredFile> find(String fid) {
    return engine.read(v -> {
      JsonObject d = v.doc(fileKey(fid));
      return d == null ? null : StoredFile.fromDoc(d);
    });
  }

  @Override
  public Future<List<StoredFile>> claim(List<String> fids, String uid, String rid, String cid) {
    List<String> ids = List.copyOf(fids);
    return engine.<Object>write(tx -> {
      List<StoredFile> claimed = new ArrayList<>();
      for (String fid : ids) {
        JsonObject d = tx.doc(fileKey(fid));
        StoredFile f = d == null ? null : StoredFile.fromDoc(d);
        if (f == null || !f.uid().equals(uid) || !f.rid().equals(rid) || f.cid() != null && !f.cid().equals(cid)) {
          return fid; // nothing written: the claims above are not put yet
        }
        claimed.add(f.claimedBy(cid));
      }
      for (StoredFile f : claimed) {
        tx.put(fileKey(f.id()), f.toDoc());
      }
      return claimed;
    }).compose(r -> r instanceof String fid ? Future.failedFuture(new NotClaimable(fid))
        : Future.succeededFuture(castList(r)));
  }

  @SuppressWarnings("unchecked")
  private static List<StoredFile> castList(Object o) {
    return (List<StoredFile>) o;
  }

  @Override
  public Future<Void> confirm(List<String> fids) {
    List<String> ids = List.copyOf(fids);
    return engine.write(tx -> {
      for (String fid : ids) {
        JsonObject d = tx.doc(fileKey(fid));
        if (d != null && !d.getBoolean("attached", false)) {
          StoredFile f = StoredFile.fromDoc(d);
          tx.put(fileKey(fid), f.confirmed().toDoc());
          tx.delete(unattachedKey(f.createdAt(), fid));
        }
      }
      return null;
    });
  }

  @Override
  public Future<Void> unclaim(List<String> fids, String cid) {
    List<String> ids = List.copyOf(fids);
    return engine.write(tx -> {
      for (String fid : ids) {
        JsonObject d = tx.doc(fileKey(fid));
        StoredFile f = d == null ? null : StoredFile.fromDoc(d);
        if (f != null && !f.attached() && cid.equals(f.cid())) {
          tx.put(fileKey(fid), f.unclaimed().toDoc());
        }
      }
      return null;
    });
  }

  @Override
  public Future<List<StoredFile>> unattachedBefore(long createdBefore, int limit) {
    byte[] prefix = {UNATTACHED};
    return engine.readLong(v -> {
      List<StoredFile> out = new ArrayList<>();
      v.scan(prefix, null, (k, val) -> {
        long created = 0;
        for (int i = 1; i <= 8; i++) {
          created = (created << 8) | (k[i] & 0xff);
        }
        if (created >= createdBefore || out.size() >= limit) {
          return false;
        }
        String fid = new String(Arrays.copyOfRange(k, 9, k.length), java.nio.charset.StandardCharsets.US_ASCII);
        JsonObject d = v.doc(fileKey(fid));
        if (d != null) {
          out.add(StoredFile.fromDoc(d));
        }
        return true;
      });
      return out;
    });
  }

  @Override
  public Future<Boolean> removeUnattached(String fid, boolean onlyUnclaimed) {
    return engine.write(tx -> {
      JsonObject d = tx.doc(fileKey(fid));
      if (d == null || d.getBoolean("attached", false) || onlyUnclaimed && d.getString("cid") != null) {
        return false;
      }
      StoredFile f = StoredFile.fromDoc(d);
      tx.delete(fileKey(fid));
      tx.delete(unattachedKey(f.createdAt(), fid));
      addBytes(tx, Codec.key(USAGE, f.uid()), -f.size());
      addBytes(tx, new byte[] {TOTAL}, -f.size());
      return true;
    });
  }

  @Override
  public Future<Long> usage(String uid) {
    return engine.read(v -> bytesAt(v, Codec.key(USAGE, uid)));
  }

  @Override
  public Future<Long> totalBytes() {
    return engine.read(v -> bytesAt(v, new byte[] {TOTAL}));
  }
}
