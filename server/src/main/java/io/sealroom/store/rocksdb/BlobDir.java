package io.sealroom.store.rocksdb;

import io.sealroom.common.ApiException;
import io.sealroom.files.FileStore;
import io.sealroom.store.FileModes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The embedded engine's file bytes: one file per upload, {@code <dir>/<first two characters of
 * the id>/<id>}, owner-only. An upload is written to {@code tmp/<id>.part}, fsynced, moved into
 * place atomically and its directory fsynced before it counts as stored; a crash leaves at most
 * a part file, which the next start removes.
 */
final class BlobDir implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BlobDir.class.getName());
  private static final String PERMS = "rw-------";
  static final int READ_BUFFER = 64 * 1024;
  private final Vertx vertx;
  private final Path root;
  private final Path tmp;
  private final boolean temporary;
  /** Shard directories this process knows to be durable (created, and the root fsynced after). */
  private final java.util.Set<Path> durableShards = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private BlobDir(Vertx vertx, Path root, boolean temporary) {
    this.vertx = vertx;
    this.root = root;
    this.tmp = root.resolve("tmp");
    this.temporary = temporary;
  }

  /** Opens (creating) the directory; {@code null} makes a temporary one, removed at close. Blocking. */
  static BlobDir open(Vertx vertx, Path dir) throws IOException {
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("sealroom-files") : dir;
    FileModes.prepareDataDir(root);
    BlobDir blobs = new BlobDir(vertx, root, temporary);
    Files.createDirectories(blobs.tmp);
    try (Stream<Path> parts = Files.list(blobs.tmp)) {
      for (Path p : (Iterable<Path>) parts::iterator) {
        Files.deleteIfExists(p); // an upload a crash interrupted: never answered, so never stored
      }
    }
    return blobs;
  }

  Path root() {
    return root;
  }

  Path pathOf(String fid) {
    return root.resolve(fid.substring(0, 2)).resolve(fid);
  }

  /** Writes the stream to the blob; durable (data and directory entry) when the future succeeds. */
  Future<Void> write(String fid, ReadStream<Buffer> bytes) {
    Path part = tmp.resolve(fid + ".part");
    OpenOptions create = new OpenOptions().setCreateNew(true).setWrite(true).setPerms(PERMS);
    return vertx.fileSystem().open(part.toString(), create).compose(file -> bytes.pipe()
            .endOnSuccess(false).endOnFailure(false).to(file)
            .transform(ar -> file.close().transform(c -> ar.failed() ? Future.failedFuture(ar.cause())
                : c.failed() ? Future.failedFuture(c.cause()) : Future.<Void>succeededFuture())))
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
          Path target = pathOf(fid);
          Path shard = target.getParent();
          if (!durableShards.contains(shard)) {
            // whoever made it (this upload, one at the same time, or an earlier run), its entry in
            // the root is fsynced before a file in it counts as stored
            Files.createDirectories(shard);
            FileModes.prepareDataDir(shard);
            fsyncDir(root);
            durableShards.add(shard);
          }
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
          fsyncDir(shard);
          return null;
        }, false))
        .recover(t -> vertx.executeBlocking(() -> Files.deleteIfExists(part), false)
            .transform(ar -> Future.failedFuture(t)));
  }

  Future<FileStore.Blob> read(String fid, long offset, long length) {
    return vertx.fileSystem().open(pathOf(fid).toString(), new OpenOptions().setRead(true).setWrite(false))
        .recover(t -> Future.failedFuture(t instanceof NoSuchFileException || t.getCause() instanceof NoSuchFileException
            ? ApiException.notFound("file") : t))
        .map(file -> {
          // 64 KiB reads, not Vert.x's 8 KiB: one 100 MiB download measured about twice as fast
          // (load-tests/results/2026-12-03-files-readbuffer-ab.md)
          file.setReadPos(offset).setReadLength(length).setReadBufferSize(READ_BUFFER);
          return new OpenBlob(file);
        });
  }

  Future<Void> delete(String fid) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(pathOf(fid));
      return null;
    }, false);
  }

  private static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warning("temporary file directory not removed: " + e.getMessage());
    }
  }

  private record OpenBlob(AsyncFile file) implements FileStore.Blob {
    @Override
    public ReadStream<Buffer> stream() {
      return file;
    }

    @Override
    public void close() {
      file.close();
    }
  }
}
