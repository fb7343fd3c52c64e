package io.sealroom.store.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.testing.Futures;
import io.sealroom.testing.GeneratedStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoGridFsClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GridFS side of the mongodb engine's file store: its memory bound, its layout, its clean-up. */
class GridFsBlobsTest {
  private static final long WAIT_S = 30;
  private static final int MB = 1024 * 1024;
  private static MongoServer server;
  private static Vertx vertx;
  private static MongoClient mongo;
  private static MongoFileStore files;
  private static Context context;

  @BeforeAll
  static void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    vertx = Vertx.vertx();
    mongo = MongoClient.createShared(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
        .put("db_name", "gridfs-" + Ids.newId()), "gridfs-" + Ids.newId());
    Indexes.ensure(mongo, true).await(WAIT_S, TimeUnit.SECONDS);
    files = new MongoFileStore(mongo);
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.close().await(WAIT_S, TimeUnit.SECONDS);
    vertx.close().await(WAIT_S, TimeUnit.SECONDS);
    server.shutdownNow();
  }

  @Test
  void aFastSenderIsHeldBackToAFewChunksAheadOfTheStore() {
    String fid = Ids.newId();
    long size = 24L * MB;
    GeneratedStream source = new GeneratedStream(context, size, 64 * 1024);
    AtomicLong maxAhead = new AtomicLong();
    // what was sent is taken before the count is asked: the count answers later, when more may have
    // been sent and stored, and the difference would be the sampling's lag, not read-ahead
    long timer = vertx.setPeriodic(1, id -> {
      long sentBefore = source.sent();
      mongo.count(GridFsBlobs.CHUNKS, new JsonObject().put("files_id", fid))
          .onSuccess(stored -> maxAhead.accumulateAndGet(sentBefore - stored * GridFsBlobs.CHUNK_SIZE, Math::max));
    });
    try {
      await(onContext(() -> files.writeBlob(fid, source)));
    } finally {
      vertx.cancelTimer(timer);
    }
    assertEquals(size, source.sent());
    assertTrue(source.pauses() > 0, "the sender was paused");
    // in flight, one waiting, one filling: about 1 MiB
    assertTrue(maxAhead.get() < 4L * MB, "read ahead of the store: " + maxAhead.get() + " bytes");
  }

  @Test
  void blobsAreInTheGridFsLayoutThatGridFsClientsRead() {
    String fid = Ids.newId();
    int size = 2 * GridFsBlobs.CHUNK_SIZE + 1000;
    await(onContext(() -> files.writeBlob(fid, new GeneratedStream(context, size, 7000))));

    JsonObject doc = await(mongo.findOne(GridFsBlobs.FILES, new JsonObject().put("_id", fid), null));
    assertEquals(fid, doc.getString("filename"));
    assertEquals(size, doc.getLong("length"));
    assertEquals(GridFsBlobs.CHUNK_SIZE, doc.getInteger("chunkSize"));
    assertTrue(doc.getJsonObject("uploadDate").containsKey("$date"), "a BSON date");
    List<JsonObject> chunks = await(mongo.findWithOptions(GridFsBlobs.CHUNKS, new JsonObject().put("files_id", fid),
        new FindOptions().setSort(new JsonObject().put("n", 1))));
    assertEquals(List.of(GridFsBlobs.CHUNK_SIZE, GridFsBlobs.CHUNK_SIZE, 1000),
        chunks.stream().map(c -> GridFsRead.binary(c.getValue("data")).length).toList());
    assertTrue(chunks.get(0).getJsonObject("_id").containsKey("$oid"), "ObjectId chunk ids");

    MongoGridFsClient gridFs = await(mongo.createGridFsBucketService(GridFsBlobs.BUCKET));
    Buffer read = await(onContext(() -> {
      Promise<Buffer> p = Promise.promise();
      Buffer acc = Buffer.buffer();
      gridFs.readByFileName(fid).exceptionHandler(p::tryFail).endHandler(v -> p.tryComplete(acc))
          .handler(acc::appendBuffer);
      return p.future();
    }));
    assertEquals(GeneratedStream.bytes(0, size), read);
  }

  @Test
  void aFailedChunkInsertDeletesThisUploadsChunksOnly() {
    String fid = Ids.newId();
    // another writer's chunk 3 of the same id: the upload's own chunk 3 fails on the unique index
    JsonObject foreign = new JsonObject().put("files_id", fid).put("n", 3)
        .put("data", new JsonObject().put("$binary", new byte[] {1, 2, 3}));
    await(mongo.insert(GridFsBlobs.CHUNKS, foreign));

    Throwable t = Futures.failureOf(onContext(() -> files.writeBlob(fid,
        new GeneratedStream(context, 3L * MB, 16 * 1024))), WAIT_S);
    assertEquals(ErrorCode.UNAVAILABLE, assertInstanceOf(ApiException.class, t).code());
    List<JsonObject> left = await(mongo.find(GridFsBlobs.CHUNKS, new JsonObject().put("files_id", fid)));
    assertEquals(1, left.size(), "only the other writer's chunk");
    assertEquals(3, left.get(0).getInteger("n"));
    assertEquals(0L, await(mongo.count(GridFsBlobs.FILES, new JsonObject().put("_id", fid))));
  }

  private static <T> T await(Future<T> f) {
    return Futures.await(f, WAIT_S);
  }

  private static <T> Future<T> onContext(Supplier<Future<T>> call) {
    return Futures.on(context, call);
  }
}
