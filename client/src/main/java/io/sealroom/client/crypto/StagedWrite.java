package io.sealroom.client.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it appears only complete and checked: into a temporary file beside the
 * target (same directory, so the move is a rename), flushed to disk, then moved into place only
 * when the writer returned normally. When it throws, the temporary file is deleted and the
 * target is left as it was. The temporary file is created readable by its owner only, and the
 * target keeps those permissions. Stateless.
 */
public final class StagedWrite {
  /** What writes the content; it throws to refuse it (e.g. a {@link FileIntegrityException}). */
  @FunctionalInterface
  public interface Body<T> {
    T write(OutputStream out) throws IOException;
  }

  private StagedWrite() {
  }

  /** Runs {@code body} on a temporary file and moves it to {@code target} when it returns. */
  public static <T> T write(Path target, Body<T> body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
    boolean moved = false;
    try {
      T result;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(ch);
        result = body.write(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      return result;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
