package io.sealroom.store.mongo;

import io.sealroom.common.ApiException;
import io.sealroom.files.FileStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;

/**
 * File bytes in GridFS: the bucket {@value #BUCKET}, in the layout of the GridFS specification, so
 * that any GridFS client (vertx-mongo-client's {@code MongoGridFsClient}, {@code mongofiles
 * --prefix blobs}) reads them. A blob is the files document {@code {_id: fid, filename: fid,
 * length, chunkSize, uploadDate}} in {@value #FILES} and its chunks {@code {_id: ObjectId,
 * files_id: fid, n, data}} in {@value #CHUNKS} (unique index on {@code (files_id, n)}, made by
 * {@link Indexes}).
 * <p>
 * The chunks are written and read here, through the client's collection operations, rather than
 * through {@code MongoGridFsClient}: its upload (the driver's {@code uploadFromPublisher}) asks its
 * source for up to 256 chunks ahead of what is stored (about 64 MiB per upload: a probe against
 * the embedded server saw a fast 40 MiB stream read whole before its chunks were stored), a
 * failed upload's chunks are named by an id it does not return, and its download has no offset,
 * so a Range would read the file from its start.
 */
final class GridFsBlobs {
  static final String BUCKET = "blobs";
  static final String FILES = BUCKET + ".files";
  static final String CHUNKS = BUCKET + ".chunks";
  /** GridFS's default chunk size, 255 KiB. */
  static final int CHUNK_SIZE = 255 * 1024;
  /** Chunk deletions per bulk write. */
  private static final int DELETE_BATCH = 500;

  private final MongoClient mongo;

  GridFsBlobs(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> write(String fid, ReadStream<Buffer> bytes) {
    return GridFsUpload.write(mongo, fid, bytes);
  }

  Future<FileStore.Blob> read(String fid, long offset, long length) {
    if (offset < 0 || length < 0) {
      return Future.failedFuture(new IllegalArgumentException("a range starts and lasts at least 0 bytes"));
    }
    return mongo.findOne(FILES, new JsonObject().put("_id", fid), null).compose(d -> {
      if (d == null) {
        return Future.failedFuture(ApiException.notFound("file"));
      }
      Context context = Vertx.currentContext();
      if (context == null) {
        return Future.failedFuture(new IllegalStateException("the driver answered outside a Vert.x context"));
      }
      long fileLength = d.getLong("length", 0L);
      int chunkSize = Math.max(1, d.getInteger("chunkSize", CHUNK_SIZE));
      return Future.succeededFuture(new GridFsRead(mongo, context, fid, fileLength, chunkSize, offset, length));
    });
  }

  /** Deletes the blob's chunks, then its files document: a failure half-way leaves it to delete again. */
  Future<Void> delete(String fid) {
    return mongo.findOne(FILES, new JsonObject().put("_id", fid), null).compose(d -> {
      if (d == null) {
        return Future.succeededFuture();
      }
      long length = d.getLong("length", 0L);
      int chunkSize = Math.max(1, d.getInteger("chunkSize", CHUNK_SIZE));
      long chunks = (length + chunkSize - 1) / chunkSize;
      return deleteChunks(fid, 0, chunks)
          .compose(v -> mongo.removeDocument(FILES, new JsonObject().put("_id", fid)))
          .mapEmpty();
    });
  }

  /** Chunks [from, to) of the blob, one exact (files_id, n) match each (the unique index serves it on both engines). */
  private Future<Void> deleteChunks(String fid, long from, long to) {
    if (from >= to) {
      return Future.succeededFuture();
    }
    long end = Math.min(to, from + DELETE_BATCH);
    List<BulkOperation> ops = new ArrayList<>();
    for (long n = from; n < end; n++) {
      ops.add(BulkOperation.createDelete(new JsonObject().put("files_id", fid).put("n", (int) n)));
    }
    return mongo.bulkWrite(CHUNKS, ops).compose(r -> deleteChunks(fid, end, to));
  }
}
