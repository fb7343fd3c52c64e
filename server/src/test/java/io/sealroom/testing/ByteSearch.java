package io.sealroom.testing;

/** Byte-level searches for at-rest scans (no decoding: the bytes as they lie on disk). */
public final class ByteSearch {
  private ByteSearch() {
  }

  /** Whether needle occurs in hay. */
  public static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
