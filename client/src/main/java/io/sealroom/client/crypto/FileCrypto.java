package io.sealroom.client.crypto;

import io.sealroom.client.crypto.FileIntegrityException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The chunked format of encrypted files (docs/protocol.md, "Encrypted files: the chunked
 * format"), streaming in both directions with one 64 KiB chunk in memory at a time.
 *
 * <ul>
 *   <li>A writer cuts the plaintext into chunks of 65,536 bytes, {@code max(1, ceil(size/65536))}
 *       of them, and seals chunk {@code i} with AES-256-GCM under the file key, nonce = prefix
 *       || i (4 bytes, big-endian) and AAD = UTF-8 {@code sealroom-file|<i>|<1 if last else 0>}.
 *       The upload is the sealed chunks (ciphertext || 16-byte tag) concatenated.</li>
 *   <li>A reader cuts the upload into pieces of 65,552 bytes (the one that ends the stream is the
 *       last), opens each with the AAD its position implies, and then checks the plaintext's
 *       total length and the upload's SHA-256 against the descriptor. Truncation, extension,
 *       reordering and substitution all fail with a {@link FileIntegrityException} naming what
 *       failed.</li>
 * </ul>
 *
 * Uses the JDK's {@code Cipher}; stateless and thread-safe (a new Cipher per file).
 */
public final class FileCrypto {
  /** Plaintext bytes per chunk. */
  public static final int CHUNK = 65536;
  /** GCM tag bytes at the end of every sealed chunk. */
  public static final int TAG = 16;
  /** Bytes of a full sealed chunk, the size of the pieces a reader cuts. */
  public static final int PIECE = CHUNK + TAG;
  /** The largest chunk index: the index is a 4-byte unsigned integer. */
  static final long MAX_INDEX = 0xffffffffL;

  /**
   * Sizes and SHA-256s (lowercase hex) of one file: of the plaintext ({@code size},
   * {@code sha256}) and of the upload, the ciphertext ({@code sealedSize}, {@code sealedSha256}).
   * A descriptor carries {@code size} and {@code sealedSha256}.
   */
  public record Result(long size, String sha256, long sealedSize, String sealedSha256) {
  }

  private FileCrypto() {
  }

  /** The length of the upload of a {@code size}-byte file: size plus 16 bytes per chunk. */
  public static long sealedSize(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
    long chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
    return size + chunks * TAG;
  }

  /**
   * A stream of the upload of {@code plaintext}, sealed chunk by chunk as it is read (for a
   * streaming request body). Its {@link SealingInputStream#result()} is there after its end.
   */
  public static SealingInputStream sealing(FileKey key, InputStream plaintext) {
    if (key == null || plaintext == null) {
      throw new IllegalArgumentException("key and plaintext are required");
    }
    return new SealingInputStream(key, plaintext);
  }

  /** Encrypts {@code in} into {@code out} in the chunked format. Neither stream is closed. */
  public static Result encrypt(FileKey key, InputStream in, OutputStream out) throws IOException {
    SealingInputStream s = sealing(key, in);
    s.transferTo(out);
    return s.result();
  }

  /**
   * Decrypts and verifies an upload, streaming: each chunk is written to {@code out} once its
   * tag verified, so every byte written is authentic and in its place. But completeness (the
   * last chunk, the total size) and the upload's SHA-256 are known only at the end: when this
   * throws, what was written already is an incomplete or unverified file and must be discarded.
   * Treat the output as the file only when this returns normally. {@link #decrypt(FileKey, long,
   * String, InputStream, Path)} does that for you.
   *
   * @param size the plaintext length the descriptor names
   * @param sha256 the upload's SHA-256 the descriptor names (64 lowercase hex characters)
   * @throws FileIntegrityException when any check fails; reading stops at the first failure
   * @throws IOException when reading or writing fails
   */
  public static Result decrypt(FileKey key, long size, String sha256, InputStream in, OutputStream out)
      throws IOException {
    return decrypt(key, size, sha256, in, out, null);
  }

  /**
   * As {@link #decrypt(FileKey, long, String, InputStream, OutputStream)}, telling
   * {@code progress} (may be null) the plaintext bytes written so far after every chunk.
   */
  public static Result decrypt(FileKey key, long size, String sha256, InputStream in, OutputStream out,
      java.util.function.LongConsumer progress) throws IOException {
    if (key == null || in == null || out == null) {
      throw new IllegalArgumentException("key, in and out are required");
    }
    checkDescriptor(size, sha256);
    Cipher c = cipher();
    byte[] piece = new byte[PIECE];
    byte[] plain = new byte[PIECE];
    MessageDigest sealedSha = sha256();
    MessageDigest plainSha = sha256();
    long index = 0;
    long total = 0;
    long sealed = 0;
    int held = -1;
    boolean last = false;
    while (!last) {
      int n = 0;
      if (held >= 0) {
        piece[n++] = (byte) held;
        held = -1;
      }
      n += readFully(in, piece, n, PIECE - n);
      last = n < PIECE;
      if (!last) {
        held = in.read();
        last = held < 0;
      }
      sealedSha.update(piece, 0, n);
      sealed += n;
      if (n == 0) {
        throw new FileIntegrityException(Failure.TRUNCATED, "the upload is empty: even an empty file has one chunk");
      }
      if (n < TAG) {
        throw new FileIntegrityException(Failure.MALFORMED,
            "chunk " + index + " is " + n + " bytes, shorter than the 16-byte tag: the upload was cut or extended");
      }
      if (index > MAX_INDEX) {
        throw new FileIntegrityException(Failure.TOO_MANY_CHUNKS, "more than 2^32 chunks");
      }
      int m = open(c, key, index, last, piece, n, plain);
      total += m;
      if (total > size) {
        throw new FileIntegrityException(Failure.SIZE,
            "the file is longer than the " + size + " bytes its descriptor names");
      }
      plainSha.update(plain, 0, m);
      out.write(plain, 0, m);
      if (progress != null) {
        progress.accept(total);
      }
      index++;
    }
    if (total != size) {
      throw new FileIntegrityException(Failure.SIZE,
          "the file is " + total + " bytes, not the " + size + " bytes its descriptor names");
    }
    String actual = hex(sealedSha.digest());
    if (!actual.equals(sha256)) {
      throw new FileIntegrityException(Failure.SHA256,
          "the upload's SHA-256 is not the one its descriptor names: substituted");
    }
    return new Result(total, hex(plainSha.digest()), sealed, actual);
  }

  /**
   * Decrypts and verifies an upload into {@code target}, which appears only when every check
   * passed: the plaintext goes to a temporary file beside it (readable by its owner only) that
   * is moved into place at the end and deleted on any failure ({@link StagedWrite}).
   *
   * @throws FileIntegrityException when any check fails; the target is then left as it was
   */
  public static Result decrypt(FileKey key, long size, String sha256, InputStream in, Path target)
      throws IOException {
    checkDescriptor(size, sha256);
    return StagedWrite.write(target, out -> decrypt(key, size, sha256, in, out));
  }

  /** Opens one piece into {@code plain}; a failure says whether it was cut, extended or altered. */
  private static int open(Cipher c, FileKey key, long index, boolean last, byte[] piece, int n, byte[] plain)
      throws FileIntegrityException {
    try {
      init(c, Cipher.DECRYPT_MODE, key, index, last);
      return c.doFinal(piece, 0, n, plain, 0);
    } catch (AEADBadTagException e) {
      // Opening it with the other last flag tells the cut and the extended upload apart from
      // an altered one: the message then says what happened. The plaintext is discarded.
      if (opensAs(c, key, index, !last, piece, n, plain)) {
        throw last
            ? new FileIntegrityException(Failure.TRUNCATED, "the upload ends with chunk " + index
                + ", which was sealed as not the last: the upload was cut")
            : new FileIntegrityException(Failure.EXTENDED, "chunk " + index
                + " was sealed as the last, but more bytes follow it: the upload was extended");
      }
      throw new FileIntegrityException(Failure.TAG,
          "chunk " + index + " does not open: the upload was altered, reordered, cut or substituted");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static boolean opensAs(Cipher c, FileKey key, long index, boolean last, byte[] piece, int n,
      byte[] plain) {
    try {
      init(c, Cipher.DECRYPT_MODE, key, index, last);
      c.doFinal(piece, 0, n, plain, 0);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkDescriptor(long size, String sha256) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters");
    }
  }

  /** True for 64 lowercase hex characters, the form of every SHA-256 in the protocol. */
  public static boolean isSha256(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char ch = s.charAt(i);
      if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'f')) {
        return false;
      }
    }
    return true;
  }

  static void init(Cipher c, int mode, FileKey key, long index, boolean last) throws GeneralSecurityException {
    c.init(mode, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG * 8, nonce(key.prefix(), index)));
    c.updateAAD(aad(index, last));
  }

  /** prefix || index as 4 bytes, big-endian. */
  static byte[] nonce(byte[] prefix, long index) {
    byte[] n = new byte[RoomKeys.IV_BYTES];
    System.arraycopy(prefix, 0, n, 0, FileKey.PREFIX_BYTES);
    for (int i = 0; i < 4; i++) {
      n[11 - i] = (byte) (index >>> (8 * i));
    }
    return n;
  }

  /** UTF-8 of {@code sealroom-file|<index>|<1 or 0>}. */
  static byte[] aad(long index, boolean last) {
    return ("sealroom-file|" + index + "|" + (last ? '1' : '0')).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads until {@code len} bytes or the end of the stream; the count read. */
  static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int r = in.read(b, off + total, len - total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  static Cipher cipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Lowercase hex. */
  public static String hex(byte[] b) {
    char[] out = new char[b.length * 2];
    String digits = "0123456789abcdef";
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = digits.charAt((b[i] >> 4) & 0xf);
      out[2 * i + 1] = digits.charAt(b[i] & 0xf);
    }
    return new String(out);
  }
}
