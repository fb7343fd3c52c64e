package io.sealroom.client;

import io.sealroom.client.crypto.FileIntegrityException;

/**
 * A downloaded file that does not check out, with code {@code file_integrity}: it was altered,
 * cut, extended, reordered or substituted, or is not the file its message describes. Nothing of
 * it is kept when downloading to a path; output already written to a stream must be discarded.
 * {@link #failure()} says what failed; the message names the chunk where there is one.
 */
public final class FileVerificationException extends SealroomException {
  private static final long serialVersionUID = 1L;
  private final FileIntegrityException.Failure failure;

  FileVerificationException(FileIntegrityException cause) {
    super("file_integrity", cause.getMessage(), cause);
    this.failure = cause.failure();
  }

  /** What failed: the tag of a chunk, truncation, extension, the size, the SHA-256 ... */
  public FileIntegrityException.Failure failure() {
    return failure;
  }
}
