package io.sealroom.store.rocksdb;

import io.sealroom.store.FileModes;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.FlushJobInfo;
import org.rocksdb.MemTableInfo;
import org.rocksdb.RocksDB;

/**
 * Keeps the files RocksDB makes while it runs 0600. RocksDB creates them 0644 (less the umask)
 * and its Java API has no setting for that, so after each event that makes files (a memtable
 * sealed: a new write-ahead log; a flush or a compaction: table files and a manifest edit) the
 * directory is tightened again ({@link FileModes#tighten}), on a thread of its own: RocksDB's
 * threads never wait for it, and events that come while it runs are served by one more pass.
 * The directory itself is 0700, which keeps other users out in the meantime.
 */
final class PrivateFiles extends AbstractEventListener {
  private static final Logger LOG = Logger.getLogger(PrivateFiles.class.getName());
  private final Path dir;
  private final ExecutorService worker;
  private final AtomicBoolean queued = new AtomicBoolean();

  PrivateFiles(Path dir) {
    super(EnabledEventCallback.ON_MEMTABLE_SEALED, EnabledEventCallback.ON_FLUSH_COMPLETED,
        EnabledEventCallback.ON_COMPACTION_COMPLETED);
    this.dir = dir;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sealroom-store-modes");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void onMemTableSealed(MemTableInfo info) {
    later();
  }

  @Override
  public void onFlushCompleted(RocksDB db, FlushJobInfo info) {
    later();
  }

  @Override
  public void onCompactionCompleted(RocksDB db, CompactionJobInfo info) {
    later();
  }

  /** Called on RocksDB's threads: queues one pass, never throws. */
  private void later() {
    if (queued.compareAndSet(false, true)) {
      try {
        worker.execute(() -> {
          queued.set(false);
          now();
        });
      } catch (RejectedExecutionException closing) {
        queued.set(false); // closing: the close makes its own pass
      }
    }
  }

  /** One pass over the directory. */
  void now() {
    try {
      FileModes.tighten(dir);
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "could not make the store's new files in " + dir + " owner-only", t);
    }
  }

  /** Stops the thread (after the database is closed), makes a last pass and frees the listener. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    now();
    super.close();
  }
}
