package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.FileIntegrityException.Failure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips and every kind of tampering of the chunked format. */
class FileCryptoTest {
  private static final int C = FileCrypto.CHUNK;
  private static final int P = FileCrypto.PIECE;
  private static final FileKey KEY = FileKey.generate();

  @TempDir
  Path dir;

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] seal(FileKey key, byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FileCrypto.encrypt(key, new ByteArrayInputStream(plain), out);
    return out.toByteArray();
  }

  private static String sha(byte[] b) {
    return FileCrypto.hex(FileCrypto.sha256().digest(b));
  }

  private static byte[] open(byte[] ct, long size, String sha) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FileCrypto.decrypt(KEY, size, sha, new ByteArrayInputStream(ct), out);
    return out.toByteArray();
  }

  /** Decrypts an upload described with its true sha256; the failure it must end with. */
  private static FileIntegrityException refused(byte[] ct, long size) {
    return assertThrows(FileIntegrityException.class, () -> open(ct, size, sha(ct)));
  }

  private static byte[] cut(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(b, from, out, 0, out.length);
    return out;
  }

  private static byte[] join(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, C - 1, C, C + 1, 3 * C, 2 * C + 100})
  void roundTripsEverySizeAroundTheChunkBoundaries(int size) throws IOException {
    byte[] plain = bytes(size, size);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FileCrypto.Result sealed = FileCrypto.encrypt(KEY, new ByteArrayInputStream(plain), out);
    byte[] ct = out.toByteArray();
    assertEquals(FileCrypto.sealedSize(size), ct.length);
    assertEquals(size + 16L * Math.max(1, (size + C - 1) / C), ct.length, "max(1, ceil(size/65536)) chunks");
    assertEquals(new FileCrypto.Result(size, sha(plain), ct.length, sha(ct)), sealed);
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    FileCrypto.Result opened = FileCrypto.decrypt(KEY, size, sha(ct), new ByteArrayInputStream(ct), back);
    assertArrayEquals(plain, back.toByteArray());
    assertEquals(sealed, opened);
  }

  @Test
  void roundTripsRandomSizesThroughStreamsThatReadLittleAtATime() throws IOException {
    Random r = new Random(16);
    for (int i = 0; i < 4; i++) {
      byte[] plain = bytes(r.nextInt(4 * C), i);
      byte[] ct;
      try (SealingInputStream s = FileCrypto.sealing(KEY, trickle(new ByteArrayInputStream(plain), r))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // byte by byte, then in odd slices: the chunking must not depend on how the reader reads
        for (int k = 0; k < 100; k++) {
          int b = s.read();
          if (b < 0) {
            break;
          }
          out.write(b);
        }
        s.transferTo(out);
        ct = out.toByteArray();
        assertEquals(sha(ct), s.result().sealedSha256());
      }
      assertArrayEquals(plain, open(ct, plain.length, sha(ct)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      FileCrypto.decrypt(KEY, plain.length, sha(ct), trickle(new ByteArrayInputStream(ct), r), out);
      assertArrayEquals(plain, out.toByteArray());
    }
  }

  /** A stream that hands out at most a few bytes per read, as a network stream may. */
  private static InputStream trickle(InputStream in, Random r) {
    return new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1 + r.nextInt(7000)));
      }
    };
  }

  @Test
  void everyFileGetsItsOwnKeyAndTheKeyIsNeverPrinted() {
    FileKey a = FileKey.generate();
    assertFalse(a.equals(FileKey.generate()));
    assertEquals("FileKey[redacted]", a.toString());
    assertEquals(a, FileKey.fromBase64(a.keyBase64(), a.prefixBase64()));
    assertEquals(43, a.keyBase64().length());
    assertEquals(11, a.prefixBase64().length());
    assertThrows(IllegalArgumentException.class, () -> FileKey.of(new byte[16], new byte[8]));
  }

  @Test
  void theResultIsThereOnlyAfterTheEnd() throws IOException {
    SealingInputStream s = FileCrypto.sealing(KEY, new ByteArrayInputStream(new byte[10]));
    assertThrows(IllegalStateException.class, s::result);
    s.readAllBytes();
    assertEquals(10, s.result().size());
  }

  @Test
  void droppingTheLastPieceIsTruncation() throws IOException {
    byte[] ct = seal(KEY, bytes(2 * C + 100, 1));
    FileIntegrityException e = refused(cut(ct, 0, 2 * P), 2 * C + 100);
    assertEquals(Failure.TRUNCATED, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("chunk 1"), e.getMessage());
  }

  @Test
  void cuttingAtAPieceBoundaryMakesANotLastPieceLastAndIsTruncation() throws IOException {
    byte[] ct = seal(KEY, bytes(3 * C, 2));
    assertEquals(Failure.TRUNCATED, refused(cut(ct, 0, P), 3 * C).failure());
    assertEquals(Failure.TRUNCATED, refused(cut(ct, 0, 2 * P), 3 * C).failure());
  }

  @Test
  void cuttingMidPieceFails() throws IOException {
    byte[] ct = seal(KEY, bytes(3 * C, 3));
    assertEquals(Failure.TAG, refused(cut(ct, 0, P + 1000), 3 * C).failure());
    assertEquals(Failure.MALFORMED, refused(cut(ct, 0, P + 5), 3 * C).failure());
    assertEquals(Failure.TAG, refused(cut(ct, 0, ct.length - 1), 3 * C).failure());
  }

  @Test
  void anEmptyUploadIsTruncationEvenForAnEmptyFile() {
    assertEquals(Failure.TRUNCATED, refused(new byte[0], 0).failure());
  }

  @Test
  void reorderedPiecesFail() throws IOException {
    byte[] ct = seal(KEY, bytes(3 * C, 4));
    byte[] swapped = join(cut(ct, P, 2 * P), cut(ct, 0, P), cut(ct, 2 * P, 3 * P));
    FileIntegrityException e = refused(swapped, 3 * C);
    assertEquals(Failure.TAG, e.failure());
    assertTrue(e.getMessage().contains("chunk 0"), e.getMessage());
    byte[] lastFirst = join(cut(ct, 2 * P, 3 * P), cut(ct, P, 2 * P), cut(ct, 0, P));
    assertEquals(Failure.TAG, refused(lastFirst, 3 * C).failure());
  }

  @Test
  void aValidLookingPieceAppendedAfterAFullLastPieceIsExtension() throws IOException {
    byte[] plain = bytes(3 * C, 5);
    byte[] ct = seal(KEY, plain);
    // the sender's own key seals a fourth chunk as the last: it looks valid on its own
    byte[] longer = seal(KEY, join(plain, bytes(10, 6)));
    byte[] extended = join(ct, cut(longer, 3 * P, longer.length));
    FileIntegrityException e = refused(extended, 3 * C);
    assertEquals(Failure.EXTENDED, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("chunk 2"), e.getMessage());
  }

  @Test
  void bytesAppendedAfterAShortLastPieceFail() throws IOException {
    byte[] ct = seal(KEY, bytes(2 * C + 100, 7));
    assertEquals(Failure.TAG, refused(join(ct, cut(ct, 2 * P, ct.length)), 2 * C + 100).failure());
    assertEquals(Failure.TAG, refused(join(ct, new byte[1]), 2 * C + 100).failure());
  }

  @Test
  void everyFlippedBitFailsItsPiece() throws IOException {
    byte[] ct = seal(KEY, bytes(2 * C + 100, 8));
    for (int at : new int[] {0, 1000, P - 1, P, P + 7, 2 * P, ct.length - 1}) {
      byte[] bad = ct.clone();
      bad[at] ^= 0x40;
      FileIntegrityException e = refused(bad, 2 * C + 100);
      assertEquals(Failure.TAG, e.failure(), "byte " + at);
      assertTrue(e.getMessage().contains("chunk " + at / P), e.getMessage());
    }
  }

  @Test
  void aPieceOfAnotherFileFailsItsTag() throws IOException {
    byte[] ct = seal(KEY, bytes(2 * C + 100, 9));
    byte[] other = seal(FileKey.generate(), bytes(2 * C + 100, 10));
    byte[] mixed = join(cut(ct, 0, P), cut(other, P, 2 * P), cut(ct, 2 * P, ct.length));
    assertEquals(Failure.TAG, refused(mixed, 2 * C + 100).failure());
  }

  @Test
  void aSubstitutionUnderTheSameKeyIsCaughtByTheSha256() throws IOException {
    // a careless sender reuses a key: tags cannot tell the files apart, the descriptor's hash can
    byte[] ct = seal(KEY, bytes(2 * C + 100, 11));
    byte[] other = seal(KEY, bytes(2 * C + 100, 12));
    byte[] mixed = join(cut(ct, 0, P), cut(other, P, 2 * P), cut(ct, 2 * P, ct.length));
    FileIntegrityException e = assertThrows(FileIntegrityException.class, () -> open(mixed, 2 * C + 100, sha(ct)));
    assertEquals(Failure.SHA256, e.failure());
  }

  @Test
  void aWrongSha256Fails() throws IOException {
    byte[] plain = bytes(100, 13);
    byte[] ct = seal(KEY, plain);
    FileIntegrityException e = assertThrows(FileIntegrityException.class, () -> open(ct, 100, sha(plain)));
    assertEquals(Failure.SHA256, e.failure());
  }

  @Test
  void aWrongSizeFailsBothWays() throws IOException {
    byte[] ct = seal(KEY, bytes(2 * C + 100, 14));
    assertEquals(Failure.SIZE, refused(ct, 2 * C + 99).failure());
    assertEquals(Failure.SIZE, refused(ct, 2 * C + 101).failure());
    assertEquals(Failure.SIZE, refused(ct, 0).failure());
  }

  @Test
  void aWrongKeyFailsTheFirstPiece() throws IOException {
    byte[] ct = seal(FileKey.generate(), "secret".getBytes(StandardCharsets.UTF_8));
    assertEquals(Failure.TAG, refused(ct, 6).failure());
  }

  @Test
  void decryptingToAPathWritesTheFileWhenEveryCheckPassed() throws IOException {
    byte[] plain = bytes(2 * C + 100, 15);
    byte[] ct = seal(KEY, plain);
    Path target = dir.resolve("out.bin");
    FileCrypto.decrypt(KEY, plain.length, sha(ct), new ByteArrayInputStream(ct), target);
    assertArrayEquals(plain, Files.readAllBytes(target));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void aFailedDecryptionToAPathLeavesNothingBehindAndTheOldFileAsItWas() throws IOException {
    byte[] ct = seal(KEY, bytes(3 * C, 16));
    Path target = dir.resolve("kept.bin");
    Files.writeString(target, "old");
    assertThrows(FileIntegrityException.class,
        () -> FileCrypto.decrypt(KEY, 3 * C, sha(ct), new ByteArrayInputStream(cut(ct, 0, 2 * P)), target));
    assertEquals("old", Files.readString(target));
    Path fresh = dir.resolve("fresh.bin");
    assertThrows(FileIntegrityException.class,
        () -> FileCrypto.decrypt(KEY, 3 * C, "0".repeat(64), new ByteArrayInputStream(ct), fresh));
    assertFalse(Files.exists(fresh));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the old file");
    }
  }

  @Test
  void decryptionStopsReadingAtTheFirstBadPiece() throws IOException {
    byte[] ct = seal(KEY, bytes(4 * C, 17));
    ct[10] ^= 1;
    int[] read = {0};
    InputStream counting = new FilterInputStream(new ByteArrayInputStream(ct)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        read[0] += Math.max(0, n);
        return n;
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThrows(FileIntegrityException.class, () -> FileCrypto.decrypt(KEY, 4 * C, sha(ct), counting, out));
    assertEquals(0, out.size(), "nothing of a bad chunk is written");
    assertTrue(read[0] <= P + 1, "read " + read[0]);
  }

  @Test
  void descriptorsThatAreNotWellFormedAreRefusedBeforeReading() {
    OutputStream sink = OutputStream.nullOutputStream();
    InputStream in = new ByteArrayInputStream(new byte[16]);
    assertThrows(IllegalArgumentException.class, () -> FileCrypto.decrypt(KEY, -1, "0".repeat(64), in, sink));
    assertThrows(IllegalArgumentException.class, () -> FileCrypto.decrypt(KEY, 0, "A".repeat(64), in, sink));
    assertThrows(IllegalArgumentException.class, () -> FileCrypto.decrypt(KEY, 0, "0".repeat(63), in, sink));
  }
}
