package io.sealroom.store.rocksdb;

import io.sealroom.common.ApiException;
import io.sealroom.keys.KeyStore;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.rooms.RoomStore;
import io.sealroom.store.Stores;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code rocksdb} engine: every store over one {@link RocksEngine}. Every write is durable
 * (a synced WAL) when its future completes, so message acks wait for nothing more.
 */
public final class RocksStores implements Stores {
  private static final int IMPORT_BATCH = 1000;
  private final RocksEngine engine;
  private final RocksUserStore users;
  private final RocksKeyStore keys;
  private final io.sealroom.keys.VerifiedStore verified;
  private final RocksRoomStore rooms;
  private final RocksRoomKeyStore roomKeys;
  private final RocksMessageStore messages;
  private final RocksKtStore kt;
  /** Where file bytes go: given at open, or a temporary directory made when first needed. */
  private final java.nio.file.Path filesDir;
  private BlobDir blobs;
  private RocksFileStore files;

  public RocksStores(RocksEngine engine) {
    this(engine, null);
  }

  /** filesDir: the directory of file bytes, or null for a temporary one (removed at close). */
  public RocksStores(RocksEngine engine, java.nio.file.Path filesDir) {
    this.engine = engine;
    this.filesDir = filesDir;
    this.users = new RocksUserStore(engine);
    this.keys = new RocksKeyStore(engine);
    this.verified = new RocksVerifiedStore(engine);
    this.rooms = new RocksRoomStore(engine);
    this.roomKeys = new RocksRoomKeyStore(engine);
    this.messages = new RocksMessageStore(engine);
    this.kt = new RocksKtStore(engine);
  }

  /** Opens the database in dir ("mem:" for memory) with a cache and memtable budget of cacheMb. Blocking. */
  public static RocksStores open(Vertx vertx, String dir, int cacheMb) throws java.io.IOException {
    return new RocksStores(RocksEngine.open(vertx, dir, cacheMb));
  }

  /** As {@link #open(Vertx, String, int)}, with file bytes in filesDir (null: a temporary directory). */
  public static RocksStores open(Vertx vertx, String dir, int cacheMb, java.nio.file.Path filesDir)
      throws java.io.IOException {
    RocksStores stores = new RocksStores(RocksEngine.open(vertx, dir, cacheMb), filesDir);
    stores.files(vertx);
    return stores;
  }

  /** The directory of file bytes given at open, or null. */
  public java.nio.file.Path filesDir() {
    return filesDir;
  }

  /** The file store, its directory opened (created, part files of an interrupted upload removed) on first use. Blocking then. */
  public synchronized io.sealroom.files.FileStore files(Vertx vertx) {
    if (files == null) {
      try {
        blobs = BlobDir.open(vertx, filesDir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("the file directory " + filesDir + " cannot be opened", e);
      }
      files = new RocksFileStore(engine, blobs);
    }
    return files;
  }

  @Override
  public String engine() {
    return "rocksdb";
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
  public io.sealroom.kt.KtStore kt() {
    return kt;
  }

  @Override
  public Future<Void> ping() {
    return engine.read(v -> {
      v.get(Codec.key(Codec.USER, ""));
      return null;
    });
  }

  /** A consistent online copy of the database in dir. Blocking. */
  public void checkpoint(Path dir) throws org.rocksdb.RocksDBException, java.io.IOException {
    engine.checkpoint(dir);
  }

  @Override
  public void exportTo(Consumer<StoredDoc> out) throws Exception {
    engine.readNow(v -> {
      v.scan(new byte[] {Codec.USER}, null, (k, val) -> {
        out.accept(new StoredDoc(StoredDoc.USERS, Codec.doc(val)));
        return true;
      });
      v.scan(new byte[] {Codec.ROOM}, null, (k, val) -> {
        JsonObject d = Codec.doc(val);
        out.accept(new StoredDoc(StoredDoc.ROOMS, d.put("seq", RocksRoomStore.head(v, d.getString("_id")))));
        return true;
      });
      v.scan(new byte[] {Codec.MEMBER}, null, (k, val) -> {
        out.accept(new StoredDoc(StoredDoc.SUBSCRIPTIONS, Codec.doc(val)));
        return true;
      });
      v.scan(new byte[] {Codec.MESSAGE}, null, (k, val) -> {
        out.accept(new StoredDoc(StoredDoc.MESSAGES, Codec.doc(val)));
        return true;
      });
      return null;
    });
    io.sealroom.store.KtTransfer.export(kt(), out);
  }

  @Override
  public boolean isEmpty() {
    return engine.readNow(v -> {
      boolean[] any = {false};
      for (byte tag : new byte[] {Codec.USER, Codec.ROOM, Codec.MEMBER, Codec.MESSAGE}) {
        v.scan(new byte[] {tag}, null, (k, val) -> {
          any[0] = true;
          return false;
        });
      }
      return !any[0];
    });
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
        pending.add(doc);
        if (pending.size() >= IMPORT_BATCH) {
          flush();
        }
      }

      private void flush() throws Exception {
        List<StoredDoc> batch = List.copyOf(pending);
        pending.clear();
        engine.writeNow(tx -> {
          for (StoredDoc d : batch) {
            put(tx, d);
          }
          return null;
        });
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

  private static void put(Tx tx, StoredDoc d) {
    JsonObject doc = d.doc();
    switch (d.collection()) {
      case StoredDoc.USERS -> RocksUserStore.putUser(tx, doc);
      case StoredDoc.ROOMS -> {
        if (!RocksRoomStore.putRoom(tx, doc)) {
          throw ApiException.invalid("rooms", "two direct messages of the same two users: " + doc.getString("_id"));
        }
      }
      case StoredDoc.SUBSCRIPTIONS -> RocksRoomStore.putMember(tx, doc);
      case StoredDoc.MESSAGES -> {
        if (!RocksMessageStore.putMessage(tx, doc)) {
          throw ApiException.invalid("messages", "a message's seq or cid is in the file twice: " + doc.getString("_id"));
        }
      }
      default -> throw ApiException.invalid("collection", "unknown: " + d.collection());
    }
  }

  @Override
  public synchronized io.sealroom.files.FileStore files() {
    if (files == null) {
      throw new IllegalStateException("open the file store with files(vertx) first");
    }
    return files;
  }

  @Override
  public void close() {
    engine.close();
    synchronized (this) {
      if (blobs != null) {
        blobs.close();
      }
    }
  }
}
