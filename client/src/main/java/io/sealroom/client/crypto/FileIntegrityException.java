package io.sealroom.client.crypto;

import java.io.IOException;
import java.util.Locale;

/**
 * An encrypted file (or a plain room's file) that does not check out: it was altered, cut,
 * extended, reordered, substituted, or is not the file its descriptor describes. Nothing of it
 * may be shown or kept. The message names the chunk and what failed; it never holds file
 * content or key material.
 */
public final class FileIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What failed. {@link #code()} is the lower-case name, as the test vector writes it. */
  public enum Failure {
    /** A piece does not open under its index and last flag: altered, substituted or reordered. */
    TAG,
    /** The upload ends on a piece that was sealed as not the last, or has no piece at all: cut. */
    TRUNCATED,
    /** A piece sealed as the last is followed by more bytes: extended. */
    EXTENDED,
    /** The final piece is shorter than the 16-byte tag. */
    MALFORMED,
    /** More than 2^32 chunks. */
    TOO_MANY_CHUNKS,
    /** The plaintext (or a plain file) is not as long as its descriptor says. */
    SIZE,
    /** The SHA-256 of the stored bytes is not the one the descriptor (or server) names. */
    SHA256;

    /** The lower-case name: "tag", "truncated", "too_many_chunks" ... */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Failure failure;

  public FileIntegrityException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  /** What failed. */
  public Failure failure() {
    return failure;
  }
}
