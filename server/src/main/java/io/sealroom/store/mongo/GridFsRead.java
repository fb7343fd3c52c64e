package io.sealroom.store.mongo;

import io.sealroom.files.FileStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A range of a blob in the GridFS layout ({@link GridFsBlobs}), read from the chunk that holds its
 * first byte: each chunk is looked up by {@code (files_id, n)} (the unique index, which the
 * embedded server also uses), at most {@link #AHEAD} ahead of what the consumer has taken, and
 * cut to the range. Reading starts when a handler is set; pause and fetch hold it back. A chunk
 * that is missing or of the wrong length fails the stream (the blob was deleted meanwhile or is
 * damaged). Confined to the context it was opened on.
 */
final class GridFsRead implements ReadStream<Buffer>, FileStore.Blob {
  /** Chunks looked up ahead of the consumer. */
  static final int AHEAD = 2;

  private final MongoClient mongo;
  private final Context context;
  private final String fid;
  private final long fileLength;
  private final int chunkSize;
  /** The range: [from, to). */
  private final long from;
  private final long to;
  private final Deque<Future<Buffer>> window = new ArrayDeque<>();
  private long nextN;
  private final long lastN;
  private long demand = Long.MAX_VALUE;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean started;
  private boolean done;
  private boolean pumping;
  private boolean pumpAgain;

  GridFsRead(MongoClient mongo, Context context, String fid, long fileLength, int chunkSize, long offset, long length) {
    this.mongo = mongo;
    this.context = context;
    this.fid = fid;
    this.fileLength = fileLength;
    this.chunkSize = chunkSize;
    this.from = Math.min(offset, fileLength);
    this.to = length >= fileLength - from ? fileLength : from + length;
    this.nextN = from / chunkSize;
    this.lastN = to > from ? (to - 1) / chunkSize : nextN - 1;
  }

  @Override
  public ReadStream<Buffer> stream() {
    return this;
  }

  @Override
  public void close() {
    done = true;
    window.clear();
    handler = null;
    endHandler = null;
    exceptionHandler = null;
  }

  @Override
  public GridFsRead exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public GridFsRead handler(Handler<Buffer> h) {
    handler = h;
    if (h != null && !started) {
      started = true;
      // after the caller has set its other handlers: an empty range ends at once
      context.runOnContext(v -> pump());
    }
    return this;
  }

  @Override
  public GridFsRead pause() {
    demand = 0;
    return this;
  }

  @Override
  public GridFsRead resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public GridFsRead fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      if (started) {
        pump();
      }
    }
    return this;
  }

  @Override
  public GridFsRead endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }

  /** Looks chunks up ahead, then hands the consumer the next ones in order while it wants them. */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        step();
      } while (pumpAgain && !done);
    } finally {
      pumping = false;
    }
  }

  private void step() {
    while (!done) {
      while (window.size() < AHEAD && nextN <= lastN) {
        Future<Buffer> chunk = lookUp(nextN++);
        window.add(chunk);
        chunk.onComplete(ar -> pump());
      }
      Future<Buffer> head = window.peek();
      if (head == null) {
        done = true;
        Handler<Void> h = endHandler;
        if (h != null) {
          h.handle(null);
        }
        return;
      }
      if (!head.isComplete()) {
        return;
      }
      if (head.failed()) {
        done = true;
        window.clear();
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
          h.handle(head.cause());
        }
        return;
      }
      if (demand == 0 || handler == null) {
        return;
      }
      window.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(head.result());
    }
  }

  /** Chunk n cut to the range. */
  private Future<Buffer> lookUp(long n) {
    long start = n * chunkSize;
    int expected = (int) Math.min(chunkSize, fileLength - start);
    return mongo.findOne(GridFsBlobs.CHUNKS, new JsonObject().put("files_id", fid).put("n", (int) n),
        new JsonObject().put("data", 1)).compose(d -> {
          byte[] data = d == null ? null : binary(d.getValue("data"));
          if (data == null || data.length != expected) {
            return Future.failedFuture(new IllegalStateException("blob " + fid + ": chunk " + n
                + (data == null ? " is missing" : " has " + data.length + " bytes, not " + expected)));
          }
          int a = (int) (Math.max(from, start) - start);
          int b = (int) (Math.min(to, start + data.length) - start);
          Buffer all = Buffer.buffer(data);
          return Future.succeededFuture(a == 0 && b == data.length ? all : all.slice(a, b));
        });
  }

  /** The bytes of a BSON binary as vertx-mongo-client decodes it ({@code {"$binary": bytes}}). */
  static byte[] binary(Object v) {
    if (v instanceof JsonObject o && o.getValue("$binary") != null) {
      return o.getBinary("$binary");
    }
    return v instanceof byte[] b ? b : null;
  }
}
