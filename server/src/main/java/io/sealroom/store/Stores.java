package io.sealroom.store;

import io.sealroom.keys.KeyStore;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.RoomKeyStore;
import io.sealroom.rooms.RoomStore;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * One storage engine: every store interface over the same data, plus what moving data needs.
 * {@code rocksdb} (the embedded default, one node) or {@code mongodb} (a shared MongoDB).
 * Every store's write completes only once it is durable. Export and import are blocking: call
 * them from a command or a worker, never an event loop.
 */
public interface Stores extends AutoCloseable {
  /** The embedded store's RocksDB directory under store.dataDir. */
  String DB_DIR = "db";
  /** The generated JWT signing key's file under store.dataDir. */
  String JWT_FILE = "jwt-es256.pem";
  /** The embedded store's file bytes under store.dataDir (unless files.dir says otherwise). */
  String FILES_DIR = "files";

  /** "rocksdb" or "mongodb", as /health names it. */
  String engine();

  UserStore users();

  KeyStore keys();

  /** Users' encrypted verified lists. */
  io.sealroom.keys.VerifiedStore verified();

  RoomStore rooms();

  RoomKeyStore roomKeys();

  MessageStore messages();

  /** Files: bytes and metadata (the embedded engine's directory, or GridFS). */
  io.sealroom.files.FileStore files();

  /** The key-transparency log (shared by every node on MongoDB). */
  io.sealroom.kt.KtStore kt();

  /** Succeeds when the store answers. */
  Future<Void> ping();

  /** Every document, collection by collection in {@link StoredDoc#COLLECTIONS} order, each in its documented sort. */
  void exportTo(Consumer<StoredDoc> out) throws Exception;

  /** True when the store holds no user, room, membership or message. */
  boolean isEmpty() throws Exception;

  /** A writer of exported documents into this store; closing it writes what it holds. */
  Importer importer() throws Exception;

  /** Writes documents in the order of an export. */
  interface Importer extends AutoCloseable {
    void add(StoredDoc doc) throws Exception;

    @Override
    void close() throws Exception;
  }

  /** A document of a collection, as both engines store it. */
  record StoredDoc(String collection, JsonObject doc) {
    public static final String USERS = "users";
    public static final String ROOMS = "rooms";
    public static final String SUBSCRIPTIONS = "subscriptions";
    public static final String MESSAGES = "messages";
    /** The key-transparency log: its head, then its leaves in order (see {@link KtTransfer}). */
    public static final String KT = "kt";
    public static final java.util.List<String> COLLECTIONS = java.util.List.of(USERS, ROOMS, SUBSCRIPTIONS, MESSAGES, KT);
  }

  @Override
  void close();
}
