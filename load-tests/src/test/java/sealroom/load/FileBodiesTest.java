package sealroom.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The file benchmark's generated upload bodies and its hashing download sink. */
class FileBodiesTest {
  /** Takes the body one buffer at a time, asking for the next from onNext (as the JDK client may). */
  private static final class Collect implements Flow.Subscriber<ByteBuffer> {
    final MessageDigest md = FileBodies.sha256();
    Flow.Subscription sub;
    long bytes;
    int buffers;
    boolean complete;

    @Override public void onSubscribe(Flow.Subscription s) { sub = s; s.request(1); }
    @Override public void onNext(ByteBuffer b) { bytes += b.remaining(); buffers++; md.update(b); sub.request(1); }
    @Override public void onError(Throwable t) { throw new AssertionError(t); }
    @Override public void onComplete() { complete = true; }
  }

  @Test
  void theBodyHasItsLengthAndTheHashOfWhatWasHandedOut() {
    long size = 3L * FileBodies.CHUNK + 1000;
    FileBodies.Upload body = new FileBodies.Upload(7, size);
    Collect c = new Collect();
    body.subscribe(c);
    assertEquals(size, body.contentLength());
    assertEquals(size, c.bytes);
    assertEquals(4, c.buffers);
    assertEquals(true, c.complete);
    assertEquals(HexFormat.of().formatHex(c.md.digest()), body.sha256Hex());
    MessageDigest again = FileBodies.sha256();
    for (long off = 0; off < size; off += FileBodies.CHUNK) again.update(FileBodies.chunk(7, off, (int) Math.min(FileBodies.CHUNK, size - off)));
    assertEquals(HexFormat.of().formatHex(again.digest()), body.sha256Hex());
  }

  @Test
  void chunksDifferBetweenFilesAndOffsetsAndWrapAroundTheBase() {
    assertFalse(java.util.Arrays.equals(FileBodies.chunk(1, 0, 64), FileBodies.chunk(2, 0, 64)));
    assertFalse(java.util.Arrays.equals(FileBodies.chunk(1, 1 << 20, 64), FileBodies.chunk(1, 0, 64)));
    byte[] across = FileBodies.chunk(1, (1 << 20) - 8, 32); // BASE's last 8 bytes, then its first 24
    assertArrayEquals(java.util.Arrays.copyOfRange(FileBodies.chunk(1, 0, 32), 16, 24), java.util.Arrays.copyOfRange(across, 24, 32));
    assertArrayEquals(FileBodies.chunk(3, 5, 8), FileBodies.chunk(4, 5, 8)); // shorter than the 16-byte stamp: BASE as it is
  }

  @Test
  void theSinkCountsAndHashes() throws Exception {
    FileBodies.Sink s = new FileBodies.Sink();
    s.onSubscribe(new Flow.Subscription() {
      @Override public void request(long n) { }
      @Override public void cancel() { }
    });
    s.onNext(List.of(ByteBuffer.wrap("hello ".getBytes()), ByteBuffer.wrap("world".getBytes())));
    s.onComplete();
    FileBodies.Got g = s.result().get();
    assertEquals(11, g.bytes());
    assertEquals("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", g.sha256());
  }
}
