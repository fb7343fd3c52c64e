package io.sealroom.store.mongo;

import io.sealroom.store.process.EmbeddedMongo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written before messages were keyed by "rid:seq": at the next start every
 * message is rewritten (history, heads, ids and cid retries unchanged), also after a start that
 * stopped midway, and a directory of the current shape is not looked through again.
 */
class MessageIdsIT {
  private static final int TIMEOUT_S = 20;
  private static final int OLD_MESSAGES = 1_234; // more than two batches
  private Vertx vertx;
  private EmbeddedMongo embedded;
  private MongoClient mongo;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    open();
  }

  @AfterEach
  void tearDown() throws Exception {
    close();
    vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private void open() throws Exception {
    embedded = EmbeddedMongo.start(dir.toString());
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", embedded.connectionString())
        .put("db_name", "sealroom"));
  }

  private void close() throws Exception {
    if (mongo != null) {
      await(mongo.close());
      embedded.stop();
      mongo = null;
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** What earlier versions wrote: a random _id, the "rid:seq" key in rs under its own unique index. */
  private void writeOldShape() throws Exception {
    await(mongo.createIndexWithOptions(MongoCollections.MESSAGES, new JsonObject().put("rs", 1),
        new IndexOptions().name("uniq_rs").unique(true).sparse(true)));
    await(mongo.createIndexWithOptions(MongoCollections.MESSAGES, new JsonObject().put("uid", 1).put("cid", 1),
        new IndexOptions().name("uniq_uid_cid").unique(true)));
    await(mongo.insert(MongoCollections.ROOMS, new JsonObject().put("_id", "R1").put("seq", OLD_MESSAGES - 40)));
    for (int seq = 1; seq <= OLD_MESSAGES; seq++) {
      await(mongo.insert(MongoCollections.MESSAGES, new JsonObject().put("_id", "old" + seq).put("rid", "R1")
          .put("seq", seq).put("rs", "R1:" + seq).put("uid", "U1").put("username", "ann")
          .put("ts", 1_000L + seq).put("cid", "c" + seq).put("text", "hello " + seq)));
    }
  }

  private List<String> indexNames() throws Exception {
    return await(mongo.listIndexes(MongoCollections.MESSAGES)).stream()
        .map(i -> ((JsonObject) i).getString("name")).toList();
  }

  private void assertMigrated() throws Exception {
    MongoMessageStore store = new MongoMessageStore(mongo);
    assertEquals(OLD_MESSAGES, (long) await(store.head("R1")), "the head looks past the room's seq as before");
    List<Message> page = await(store.range("R1", 1, 100));
    assertEquals(100, page.size());
    for (int i = 0; i < page.size(); i++) {
      Message m = page.get(i);
      assertEquals(i + 1, m.seq());
      assertEquals("old" + (i + 1), m.id(), "the message keeps its id");
      assertEquals("hello " + (i + 1), m.text());
    }
    assertEquals(OLD_MESSAGES, await(store.range("R1", OLD_MESSAGES - 9, OLD_MESSAGES + 5)).get(9).seq());
    assertEquals(OLD_MESSAGES, (long) await(mongo.count(MongoCollections.MESSAGES, new JsonObject())), "no copy left over");
    assertEquals(0L, (long) await(mongo.count(MongoCollections.MESSAGES,
        new JsonObject().put("rs", new JsonObject().put("$exists", true)))));
    List<String> indexes = indexNames();
    assertFalse(indexes.contains(MessageIdMigration.OLD_INDEX), indexes.toString());
    assertTrue(indexes.contains("uniq_uid_cid"), indexes.toString());
    // a retry of an old cid is still refused by the (uid, cid) index, a taken seq by the key
    Message retry = new Message("new1", "R1", OLD_MESSAGES + 1, "U1", "ann", 5L, "c7", "again", null);
    assertInstanceOf(MessageStore.DuplicateAt.class, await(store.insertOrdered(List.of(retry)).map(n -> (Throwable) null)
        .recover(Future::succeededFuture)));
    Message taken = new Message("new2", "R1", 5, "U1", "ann", 5L, "fresh", "late", null);
    assertInstanceOf(MessageStore.DuplicateAt.class, await(store.insertOrdered(List.of(taken)).map(n -> (Throwable) null)
        .recover(Future::succeededFuture)));
    Message next = new Message("new3", "R1", OLD_MESSAGES + 1, "U1", "ann", 5L, "fresh", "next", null);
    assertEquals(1, await(store.insertOrdered(List.of(next))));
    assertEquals("new3", await(store.range("R1", OLD_MESSAGES + 1, OLD_MESSAGES + 1)).get(0).id());
  }

  @Test
  void oldMessagesAreRewrittenAtTheNextStart() throws Exception {
    writeOldShape();
    close();
    open();
    await(Indexes.ensure(mongo, true));
    assertMigrated();
  }

  @Test
  void aStartThatStoppedMidwayIsFinishedByTheNext() throws Exception {
    writeOldShape();
    // an interrupted start: the (uid, cid) index dropped, some copies made, their originals kept
    await(mongo.dropIndex(MongoCollections.MESSAGES, "uniq_uid_cid"));
    for (int seq = 1; seq <= 700; seq++) {
      JsonObject old = await(mongo.findOne(MongoCollections.MESSAGES, new JsonObject().put("_id", "old" + seq), null));
      await(mongo.insert(MongoCollections.MESSAGES, MessageIdMigration.newShape(old)));
    }
    close();
    open();
    await(Indexes.ensure(mongo, true));
    assertMigrated();
  }

  @Test
  void aCurrentStoreIsNotLookedThroughAgain() throws Exception {
    await(Indexes.ensure(mongo, true));
    // a document with an rs field is no longer a reason to rewrite: only the old index is
    await(mongo.insert(MongoCollections.MESSAGES, new JsonObject().put("_id", "R9:1").put("rs", "x")));
    assertEquals(0L, (long) await(MessageIdMigration.migrate(mongo)));
    assertEquals(1L, (long) await(mongo.count(MongoCollections.MESSAGES, new JsonObject().put("_id", "R9:1"))));
  }
}
