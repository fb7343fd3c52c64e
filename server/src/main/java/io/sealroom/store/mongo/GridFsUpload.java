package io.sealroom.store.mongo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bson.types.ObjectId;

/**
 * One stream written into the GridFS layout ({@link GridFsBlobs}): the bytes are cut into chunks
 * of {@link GridFsBlobs#CHUNK_SIZE}, each inserted as soon as it is full, at most
 * {@link #IN_FLIGHT} at a time; while a full chunk waits for a slot the source is paused, so an
 * upload holds about {@code IN_FLIGHT + 2} chunks (and what one buffer of the source brings),
 * whatever the speed of its sender. Once
 * every chunk is acknowledged (by the connection string's write concern) the files document is
 * inserted, and only then is the blob readable.
 * <p>
 * When the source fails (a limit passed, the connection lost) or an insert fails, nothing more is
 * sent; once the inserts under way have answered, the chunks this upload inserted are deleted by
 * their ids (so never another blob's), and the future fails with the first failure. Confined to
 * the context that delivers the source's events, on which the driver's answers also come.
 */
final class GridFsUpload {
  private static final Logger LOG = Logger.getLogger(GridFsUpload.class.getName());
  /** Chunk inserts under way at once: two keep the connection busy while the next chunk fills. */
  static final int IN_FLIGHT = 2;

  private final MongoClient mongo;
  private final String fid;
  private final ReadStream<Buffer> source;
  private final Promise<Void> done = Promise.promise();
  /** Full chunks waiting for an insert slot (at most one: the source is paused meanwhile). */
  private final Deque<byte[]> ready = new ArrayDeque<>();
  /** The ids of every chunk sent, for the clean-up of a failed upload. */
  private final JsonArray sentIds = new JsonArray();
  private byte[] filling = new byte[GridFsBlobs.CHUNK_SIZE];
  private int filled;
  private long length;
  private int nextN;
  private int inFlight;
  private boolean paused;
  private boolean ended;
  private boolean finishing;
  private boolean filesDocSent;
  private Throwable failure;
  private boolean cleaning;

  private GridFsUpload(MongoClient mongo, String fid, ReadStream<Buffer> source) {
    this.mongo = mongo;
    this.fid = fid;
    this.source = source;
  }

  /** Streams the paused source into blob fid; succeeds once its files document is stored. */
  static Future<Void> write(MongoClient mongo, String fid, ReadStream<Buffer> source) {
    GridFsUpload up = new GridFsUpload(mongo, fid, source);
    up.start();
    return up.done.future();
  }

  private void start() {
    paused = true;
    // after its end the body is all here: a late failure of the connection no longer concerns it
    source.exceptionHandler(t -> {
      if (!ended) {
        fail(t);
      }
    });
    source.endHandler(v -> onEnd());
    source.handler(this::onData);
    resume();
  }

  private void onData(Buffer b) {
    if (failure != null || ended) {
      return;
    }
    length += b.length();
    int at = 0;
    while (at < b.length()) {
      int n = Math.min(b.length() - at, filling.length - filled);
      b.getBytes(at, at + n, filling, filled);
      filled += n;
      at += n;
      if (filled == filling.length) {
        ready.add(filling);
        filling = new byte[GridFsBlobs.CHUNK_SIZE];
        filled = 0;
      }
    }
    drain();
    if (!ready.isEmpty() && !paused) {
      paused = true;
      source.pause();
    }
  }

  private void onEnd() {
    if (failure != null || ended) {
      return;
    }
    ended = true;
    if (filled > 0) {
      ready.add(Arrays.copyOf(filling, filled));
    }
    filling = null;
    drain();
    finishIfDone();
  }

  /** Sends waiting chunks while there are slots; resumes the source when none waits any more. */
  private void drain() {
    while (failure == null && inFlight < IN_FLIGHT && !ready.isEmpty()) {
      send(ready.poll());
    }
    if (failure == null && ready.isEmpty() && paused && !ended) {
      resume();
    }
  }

  private void resume() {
    paused = false;
    source.resume();
  }

  private void send(byte[] data) {
    String id = new ObjectId().toHexString();
    sentIds.add(new JsonObject().put("$oid", id));
    JsonObject chunk = new JsonObject().put("_id", new JsonObject().put("$oid", id)).put("files_id", fid)
        .put("n", nextN++).put("data", new JsonObject().put("$binary", data));
    inFlight++;
    mongo.insert(GridFsBlobs.CHUNKS, chunk).onComplete(ar -> {
      inFlight--;
      if (ar.failed()) {
        fail(ar.cause());
      } else if (failure == null) {
        drain();
        finishIfDone();
      } else {
        cleanUpWhenIdle();
      }
    });
  }

  private void finishIfDone() {
    if (!ended || failure != null || finishing || inFlight > 0 || !ready.isEmpty()) {
      return;
    }
    finishing = true;
    filesDocSent = true;
    JsonObject files = new JsonObject().put("_id", fid).put("length", length)
        .put("chunkSize", GridFsBlobs.CHUNK_SIZE)
        .put("uploadDate", new JsonObject().put("$date", Instant.now().toString()))
        .put("filename", fid);
    mongo.insert(GridFsBlobs.FILES, files).onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete();
      } else {
        fail(ar.cause());
      }
    });
  }

  private void fail(Throwable t) {
    if (failure != null) {
      return;
    }
    failure = t;
    ready.clear();
    filling = null;
    cleanUpWhenIdle();
  }

  /** Once no insert is under way: deletes what was stored (chunks by id; the files document unless it is another's). */
  private void cleanUpWhenIdle() {
    if (inFlight > 0 || cleaning) {
      return;
    }
    cleaning = true;
    Future<?> chunks = sentIds.isEmpty() ? Future.succeededFuture()
        : mongo.removeDocuments(GridFsBlobs.CHUNKS, new JsonObject().put("_id", new JsonObject().put("$in", sentIds)));
    // a files document that failed as a duplicate is another blob's; any other failure may have stored it
    boolean mayHaveFilesDoc = filesDocSent && !StoreErrors.isDuplicateKey(failure);
    Future<?> filesDoc = mayHaveFilesDoc
        ? mongo.removeDocument(GridFsBlobs.FILES, new JsonObject().put("_id", fid)) : Future.succeededFuture();
    Future.join(chunks, filesDoc).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "a failed upload's chunks were not all deleted (" + sentIds.size() + " chunks of blob "
            + fid + "): " + ar.cause());
      }
      done.tryFail(failure);
    });
  }
}
