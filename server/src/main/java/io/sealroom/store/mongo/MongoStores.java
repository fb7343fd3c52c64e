package io.sealroom.store.mongo;

import io.sealroom.store.Stores;
import io.sealroom.store.Docs;
import io.sealroom.keys.KeyStore;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.rooms.RoomStore;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code mongodb} engine: every store over one MongoDB (a replica set in production, or the
 * project's store process), through vertx-mongo-client. Acknowledged writes are as durable as the
 * connection string's write concern makes them ({@code w=majority&journal=true}); the store
 * process commits every write before it replies. Indexes are created by {@link Indexes#ensure}
 * before this is used.
 */
public final class MongoStores implements Stores {
  private static final int PAGE = 1000;
  private static final long WAIT_S = 120;
  private final MongoClient mongo;
  private final MongoUserStore users;
  private final MongoKeyStore keys;
  private final io.sealroom.keys.VerifiedStore verified;
  private final MongoRoomStore rooms;
  private final MongoRoomKeyStore roomKeys;
  private final MongoMessageStore messages;
  private final MongoFileStore files;
  private final MongoKtStore kt;

  public MongoStores(MongoClient mongo) {
    this.mongo = mongo;
    this.users = new MongoUserStore(mongo);
    this.keys = new MongoKeyStore(mongo);
    this.verified = new MongoVerifiedStore(mongo);
    this.rooms = new MongoRoomStore(mongo);
    this.roomKeys = new MongoRoomKeyStore(mongo);
    this.messages = new MongoMessageStore(mongo);
    this.files = new MongoFileStore(mongo);
    this.kt = new MongoKtStore(mongo);
  }

  public MongoClient client() {
    return mongo;
  }

  @Override
  public String engine() {
    return "mongodb";
  }

  @Override
  public UserStore users() {
    return users;
  }

  @Override
  public io.sealroom.keys.VerifiedStore verified() {
    return verified;
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public RoomStore rooms() {
    return rooms;
  }

  @Override
  public RoomKeyStore roomKeys() {
    return roomKeys;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public io.sealroom.files.FileStore files() {
    return files;
  }

  @Override
  public io.sealroom.kt.KtStore kt() {
    return kt;
  }

  @Override
  public Future<Void> ping() {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  @Override
  public void exportTo(Consumer<StoredDoc> out) throws Exception {
    byId(MongoCollections.USERS, d -> out.accept(new StoredDoc(StoredDoc.USERS, d)));
    // room documents are read once; each room's head once, for its document and its messages
    Map<String, Long> heads = new LinkedHashMap<>();
    List<JsonObject> rooms = new ArrayList<>();
    byId(MongoCollections.ROOMS, rooms::add);
    for (JsonObject room : rooms) {
      long head = await(messages.head(room.getString("_id")));
      heads.put(room.getString("_id"), head);
      out.accept(new StoredDoc(StoredDoc.ROOMS, room.put("seq", head)));
    }
    List<String> rids = List.copyOf(heads.keySet());
    for (String rid : rids) {
      List<JsonObject> subs = await(mongo.find(MongoCollections.SUBSCRIPTIONS, new JsonObject().put("rid", rid)));
      subs.stream().sorted(java.util.Comparator.comparing(d -> d.getString("uid")))
          .forEach(d -> out.accept(new StoredDoc(StoredDoc.SUBSCRIPTIONS, d)));
    }
    for (String rid : rids) {
      long head = heads.get(rid);
      for (long from = 1; from <= head; from += PAGE) {
        JsonArray keys = new JsonArray();
        for (long seq = from; seq < from + PAGE && seq <= head; seq++) {
          keys.add(Docs.messageId(rid, seq));
        }
        List<JsonObject> page = await(mongo.findWithOptions(MongoCollections.MESSAGES,
            new JsonObject().put("_id", new JsonObject().put("$in", keys)),
            new FindOptions().setSort(new JsonObject().put("seq", 1))));
        page.forEach(d -> out.accept(new StoredDoc(StoredDoc.MESSAGES, d)));
      }
    }
    io.sealroom.store.KtTransfer.export(kt, out);
  }

  /** Visits a collection's documents in _id order, a page at a time. */
  private void byId(String coll, Consumer<JsonObject> visitor) throws Exception {
    String last = null;
    while (true) {
      JsonObject q = last == null ? new JsonObject() : new JsonObject().put("_id", new JsonObject().put("$gt", last));
      List<JsonObject> page = await(mongo.findWithOptions(coll, q,
          new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE)));
      for (JsonObject d : page) {
        visitor.accept(d);
        last = d.getString("_id");
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  @Override
  public boolean isEmpty() throws Exception {
    for (String coll : StoredDoc.COLLECTIONS) {
      if (!StoredDoc.KT.equals(coll) && await(mongo.count(coll, new JsonObject())) > 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Importer importer() {
    return new Importer() {
      private final List<StoredDoc> pending = new ArrayList<>();

      private final io.sealroom.store.KtTransfer.Importer log = new io.sealroom.store.KtTransfer.Importer(kt());

      @Override
      public void add(StoredDoc doc) throws Exception {
        if (StoredDoc.KT.equals(doc.collection())) {
          if (!pending.isEmpty()) {
            flush();
          }
          log.add(doc.doc());
          return;
        }
        if (!pending.isEmpty() && !pending.get(0).collection().equals(doc.collection())) {
          flush();
        }
        pending.add(doc);
        if (pending.size() >= PAGE) {
          flush();
        }
      }

      private void flush() throws Exception {
        List<BulkOperation> ops = new ArrayList<>(pending.size());
        for (StoredDoc d : pending) {
          ops.add(BulkOperation.createInsert(d.doc()));
        }
        String coll = pending.get(0).collection();
        pending.clear();
        await(mongo.bulkWrite(coll, ops));
      }

      @Override
      public void close() throws Exception {
        if (!pending.isEmpty()) {
          flush();
        }
        log.finish();
      }
    };
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      mongo.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
  }
}
