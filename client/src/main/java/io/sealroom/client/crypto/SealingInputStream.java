package io.sealroom.client.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;

/**
 * Reads a plaintext stream and yields its upload in the chunked format, one 64 KiB chunk at a
 * time: constant memory, whatever the file's size. It reads one byte past each full chunk to
 * learn whether that chunk is the last, so a file of exactly 65,536 bytes is one chunk and an
 * empty file is one empty chunk (the tag alone). After the end of the stream {@link #result()}
 * gives the sizes and SHA-256s, the upload's SHA-256 being the one a descriptor carries.
 * Not thread-safe, like any InputStream.
 */
public final class SealingInputStream extends InputStream {
  private final InputStream in;
  private final FileKey key;
  private final Cipher cipher;
  private final byte[] plain = new byte[FileCrypto.CHUNK];
  private final byte[] sealed = new byte[FileCrypto.PIECE];
  private final MessageDigest plainSha = FileCrypto.sha256();
  private final MessageDigest sealedSha = FileCrypto.sha256();
  private int pos;
  private int len;
  private int held = -1;
  private long index;
  private long plainSize;
  private long sealedSize;
  private boolean done;
  private FileCrypto.Result result;

  SealingInputStream(FileKey key, InputStream plaintext) {
    this.in = plaintext;
    this.key = key;
    this.cipher = FileCrypto.cipher();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int n) throws IOException {
    java.util.Objects.checkFromIndexSize(off, n, b.length);
    if (n == 0) {
      return 0;
    }
    if (pos == len) {
      if (done) {
        return -1;
      }
      sealNext();
    }
    int k = Math.min(n, len - pos);
    System.arraycopy(sealed, pos, b, off, k);
    pos += k;
    return k;
  }

  private void sealNext() throws IOException {
    int n = 0;
    if (held >= 0) {
      plain[n++] = (byte) held;
      held = -1;
    }
    n += FileCrypto.readFully(in, plain, n, FileCrypto.CHUNK - n);
    boolean last = n < FileCrypto.CHUNK;
    if (!last) {
      held = in.read();
      last = held < 0;
    }
    if (index > FileCrypto.MAX_INDEX) {
      throw new IOException("a file has at most 2^32 chunks");
    }
    try {
      FileCrypto.init(cipher, Cipher.ENCRYPT_MODE, key, index, last);
      len = cipher.doFinal(plain, 0, n, sealed, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    pos = 0;
    plainSha.update(plain, 0, n);
    sealedSha.update(sealed, 0, len);
    plainSize += n;
    sealedSize += len;
    index++;
    if (last) {
      done = true;
      result = new FileCrypto.Result(plainSize, FileCrypto.hex(plainSha.digest()), sealedSize,
          FileCrypto.hex(sealedSha.digest()));
    }
  }

  /**
   * The sizes and SHA-256s of the plaintext read and the upload made.
   *
   * @throws IllegalStateException before the last chunk was sealed
   */
  public FileCrypto.Result result() {
    if (result == null) {
      throw new IllegalStateException("the stream has not been read to its end");
    }
    return result;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
