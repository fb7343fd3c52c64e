package io.sealroom.store.rocksdb;

import io.sealroom.common.ApiException;
import io.sealroom.store.FileModes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.Checkpoint;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The embedded store's database: RocksDB in this process, on disk under a directory or in memory.
 *
 * <p><b>Writes: one writer thread, group commit.</b> Every write is an operation (a function of a
 * {@link Tx}) queued to a single writer thread. The writer takes every operation that is waiting
 * (up to {@link #MAX_GROUP}), runs them one after another into one indexed write batch, each one
 * reading the committed data plus what the operations before it wrote, then writes the batch with
 * a synced WAL (one fsync for the whole group) and only then completes their futures. So:
 * <ul>
 *   <li>read-check-write rules (the first room key, rotation on previousKid, key upload on the
 *       stored fingerprint, unique usernames, a seq or a cid taken) are decided by one thread that
 *       sees every earlier write: no transactions, locks or retries are needed;</li>
 *   <li>an operation that throws is rolled back to its save point and fails alone; the rest of its
 *       group commits;</li>
 *   <li>nothing is visible to readers before it is durable, and every answer (a message's ack, a
 *       2xx) comes after the fsync of the WAL that holds it.</li>
 * </ul>
 * A single writer was chosen over RocksDB's TransactionDB: every rule here is a read-check-write
 * of a few keys, which one thread decides without lock or conflict bookkeeping, and grouping
 * happens by itself (whatever queued during an fsync goes into the next one). With the fsync
 * (about 0.5-1 ms here) as the unit of cost, a group carries every send of that time.
 *
 * <p><b>Reads</b> run on a small pool of store threads (never on an event loop) and see committed
 * data only. Futures of both kinds complete on the caller's context.
 *
 * <p>If a write fails (an I/O error, a full disk), every operation of its group fails with
 * {@code unavailable} and nothing of it is visible; the next group tries again.
 *
 * <p><b>Files</b> are owner-only: the directory is 0700 and its files 0600, tightened at open,
 * after RocksDB makes new ones ({@link PrivateFiles}) and at close.
 */
public final class RocksEngine implements AutoCloseable {
  static final int MAX_GROUP = 4096;
  private static final Logger LOG = Logger.getLogger(RocksEngine.class.getName());
  private static final String MEM = "mem:";
  private static final AtomicInteger MEM_DBS = new AtomicInteger();

  static {
    RocksDB.loadLibrary();
  }

  /** One write operation: reads and writes through the transaction view, returns its result. */
  @FunctionalInterface
  interface WriteOp<T> {
    T apply(Tx tx);
  }

  /** One read operation over committed data. */
  @FunctionalInterface
  interface ReadOp<T> {
    T apply(View view);
  }

  private final Vertx vertx;
  private final RocksDB db;
  private final Options options;
  private final Env memEnv;
  /** Null in memory. */
  private final PrivateFiles privateFiles;
  private final LRUCache cache;
  private final WriteBufferManager writeBuffers;
  private final WriteOptions syncWrite;
  private final ReadOptions readOptions;
  private final DbView view;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  /** Used by the writer thread only. */
  private final Heads heads = new Heads();
  private final Thread writer;
  private final ExecutorService readers;
  private volatile boolean closed;

  private RocksEngine(Vertx vertx, RocksDB db, Options options, Env memEnv, PrivateFiles privateFiles,
      LRUCache cache, WriteBufferManager writeBuffers) {
    this.vertx = vertx;
    this.db = db;
    this.options = options;
    this.memEnv = memEnv;
    this.privateFiles = privateFiles;
    this.cache = cache;
    this.writeBuffers = writeBuffers;
    this.syncWrite = new WriteOptions().setSync(true);
    this.readOptions = new ReadOptions();
    this.view = new DbView(db, readOptions);
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "sealroom-store-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.writer = new Thread(this::writeLoop, "sealroom-store-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Opens (creating if needed) the database in dir, or in memory for "mem:". The block cache and
   * the memtables together stay within about cacheMb. Fails with {@link StoreLockedException}
   * when another process holds the directory. Blocking.
   */
  public static RocksEngine open(Vertx vertx, String dir, int cacheMb) throws java.io.IOException {
    boolean memory = MEM.equals(dir);
    long budget = Math.max(8, cacheMb) * 1024L * 1024L;
    LRUCache cache = new LRUCache(budget);
    // memtables are charged to the same cache: one bound for both
    WriteBufferManager writeBuffers = new WriteBufferManager(budget / 2, cache);
    Options options = Tuning.options(cache, writeBuffers, budget);
    Env memEnv = null;
    PrivateFiles privateFiles = null;
    String path;
    if (memory) {
      memEnv = new RocksMemEnv(Env.getDefault());
      options.setEnv(memEnv);
      path = "/sealroom-mem-" + MEM_DBS.incrementAndGet();
    } else {
      Path p = Path.of(dir).toAbsolutePath();
      FileModes.createPrivateDirectories(p);
      FileModes.tighten(p);
      WalTail.repairNewest(p);
      privateFiles = new PrivateFiles(p);
      options.setListeners(List.of(privateFiles));
      path = p.toString();
    }
    try {
      RocksDB db = RocksDB.open(options, path);
      if (privateFiles != null) {
        privateFiles.now(); // what the open made: the lock, the info log, a manifest, options, a new log
      }
      return new RocksEngine(vertx, db, options, memEnv, privateFiles, cache, writeBuffers);
    } catch (RocksDBException e) {
      options.close();
      writeBuffers.close();
      cache.close();
      if (memEnv != null) {
        memEnv.close();
      }
      if (privateFiles != null) {
        privateFiles.close();
      }
      String m = String.valueOf(e.getMessage());
      if (m.toLowerCase(Locale.ROOT).contains("lock")) {
        throw new StoreLockedException(path);
      }
      throw new java.io.IOException("cannot open the store in " + path + ": " + m, e);
    }
  }

  /** Runs a read on a store thread; completes on the caller's context. */
  <T> Future<T> read(ReadOp<T> op) {
    Context ctx = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      readers.execute(() -> {
        T value;
        try {
          value = op.apply(view);
        } catch (Throwable t) {
          RuntimeException why = failure(t);
          ctx.runOnContext(v -> promise.fail(why));
          return;
        }
        ctx.runOnContext(v -> promise.complete(value));
      });
    } catch (RejectedExecutionException e) {
      promise.fail(ApiException.unavailable());
    }
    return promise.future();
  }

  /** Runs a long read (a scan) on a worker thread, so that it never holds up the store threads. */
  <T> Future<T> readLong(ReadOp<T> op) {
    return vertx.executeBlocking(() -> {
      try {
        return op.apply(view);
      } catch (Throwable t) {
        throw failure(t);
      }
    }, false);
  }

  /** Queues a write; completes on the caller's context once it is durable (or failed). */
  <T> Future<T> write(WriteOp<T> op) {
    Pending<T> p = new Pending<>(op, vertx.getOrCreateContext());
    if (closed) {
      return Future.failedFuture(ApiException.unavailable());
    }
    queue.add(p);
    return p.promise.future();
  }

  /** Reads directly on the calling thread (export, import, tests); blocking. */
  <T> T readNow(ReadOp<T> op) {
    return op.apply(view);
  }

  /** Runs a write directly: queued like any other, and waited for; blocking, never on an event loop. */
  <T> T writeNow(WriteOp<T> op) throws Exception {
    return write(op).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * A consistent copy of the database in dir (hard links where possible), owner-only like the
   * database: an online backup. Blocking.
   */
  public void checkpoint(Path dir) throws RocksDBException, java.io.IOException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(dir.toString());
    }
    FileModes.tighten(dir);
  }

  private static final class Pending<T> {
    final WriteOp<T> op;
    final Context context;
    final Promise<T> promise = Promise.promise();
    T value;
    Throwable error;

    Pending(WriteOp<T> op, Context context) {
      this.op = op;
      this.context = context;
    }

    void run(Tx tx) {
      value = op.apply(tx);
    }

    void finish(Throwable groupFailure) {
      context.runOnContext(v -> completeHere(groupFailure));
    }

    /** Completes the future; on its context. */
    void completeHere(Throwable groupFailure) {
      Throwable why = groupFailure != null ? groupFailure : error;
      if (why != null) {
        promise.fail(why);
      } else {
        promise.complete(value);
      }
    }
  }

  private void writeLoop() {
    List<Pending<?>> group = new ArrayList<>();
    while (true) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        LOG.log(Level.SEVERE, "store writer: unexpected failure", t);
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending<?>> group) {
    Throwable groupFailure = null;
    try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
      Tx tx = new Tx(db, readOptions, batch, heads);
      for (Pending<?> p : group) {
        batch.setSavePoint();
        try {
          p.run(tx);
          batch.popSavePoint();
        } catch (Throwable t) {
          batch.rollbackToSavePoint();
          p.error = failure(t);
        }
      }
      if (batch.count() > 0) {
        db.write(syncWrite, batch);
      }
    } catch (Throwable t) {
      LOG.warning("store write failed (" + group.size() + " writes answered unavailable): " + t.getMessage());
      groupFailure = ApiException.unavailable();
    }
    finishAll(group, groupFailure);
  }

  /** One task per context completes that context's writes of the group, in their order. */
  private static void finishAll(List<Pending<?>> group, Throwable groupFailure) {
    java.util.Map<Context, List<Pending<?>>> byContext = new java.util.LinkedHashMap<>();
    for (Pending<?> p : group) {
      byContext.computeIfAbsent(p.context, c -> new ArrayList<>()).add(p);
    }
    byContext.forEach((ctx, done) -> ctx.runOnContext(v -> done.forEach(p -> p.completeHere(groupFailure))));
  }

  /** Domain errors pass through; anything else (I/O, a bug) is unavailable, and logged when unexpected. */
  private static RuntimeException failure(Throwable t) {
    if (t instanceof ApiException e) {
      return e;
    }
    if (!(t instanceof StoreIoException)) {
      LOG.log(Level.WARNING, "store operation failed", t);
    }
    return ApiException.unavailable();
  }

  /** Stops taking writes, commits what is queued, closes the database. Blocking. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.shutdown();
    try {
      readers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Pending<?> p; (p = queue.poll()) != null; ) {
      p.finish(ApiException.unavailable());
    }
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      // every acknowledged write was synced already
    }
    db.close();
    if (privateFiles != null) {
      privateFiles.close(); // a last pass over what RocksDB wrote until it closed
    }
    syncWrite.close();
    readOptions.close();
    options.close();
    writeBuffers.close();
    cache.close();
    if (memEnv != null) {
      memEnv.close();
    }
  }
}
