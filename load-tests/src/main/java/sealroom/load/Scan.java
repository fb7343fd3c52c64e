package sealroom.load;

import io.netty.buffer.ByteBuf;

/**
 * Byte scans of received frames: no JSON tree, no String. A message text starts with
 * "ts=<nanoTime>;k=<n>;"; an encrypted message (whose text the server cannot see, sealed before
 * the run) carries its room index and number in its cid, "e<room>-<n>", and the sender keeps the
 * send time of each.
 */
final class Scan {
  static final byte[] TS = "ts=".getBytes();
  static final byte[] CID_E = "\"cid\":\"e".getBytes();
  static final byte[] SEQ = "\"seq\":".getBytes();

  private Scan() { }

  /** First index of needle in b[from, to), or -1. */
  static int find(ByteBuf b, int from, int to, byte[] needle) {
    byte first = needle[0];
    int last = to - needle.length;
    int i = from;
    while (i <= last) {
      i = b.indexOf(i, last + 1, first);
      if (i < 0) return -1;
      int j = 1;
      while (j < needle.length && b.getByte(i + j) == needle[j]) j++;
      if (j == needle.length) return i;
      i++;
    }
    return -1;
  }

  /** Index of the first digit at or after p (at most 4 bytes on), or to. */
  static int skipToDigit(ByteBuf b, int p, int to) {
    int lim = Math.min(to, p + 4);
    while (p < lim) {
      byte c = b.getByte(p);
      if (c >= '0' && c <= '9') return p;
      p++;
    }
    return p;
  }

  /** The decimal number at p (digits only); the end index is left in end[0]. */
  static long number(ByteBuf b, int p, int to, int[] end) {
    long v = 0;
    byte c;
    while (p < to && (c = b.getByte(p)) >= '0' && c <= '9') { v = v * 10 + (c - '0'); p++; }
    end[0] = p;
    return v;
  }

  /** The room seq of a Sealroom msg frame in b[from, to), or -1. */
  static long seq(ByteBuf b, int from, int to) {
    int p = find(b, from, to, SEQ);
    if (p < 0) return -1;
    long v = 0;
    byte c;
    for (int q = p + SEQ.length; q < to && (c = b.getByte(q)) >= '0' && c <= '9'; q++) v = v * 10 + (c - '0');
    return v;
  }

  /** Receives each pair (ts, k), or (room, k) for the encrypted cid, found in a frame; at is the index of the marker. */
  interface Sink { void onMark(WsConn c, long ts, long k, ByteBuf b, int from, int to, int at); }

  /** Calls sink for every marker in b[from, to) (NATS and centrifuge may batch several messages in one frame); returns how many. */
  static int marks(WsConn c, ByteBuf b, int from, int to, byte[] marker, Sink sink) {
    int n = 0, p = from;
    while ((p = find(b, p, to, marker)) >= 0) {
      int q = p + marker.length;
      long ts = 0, k = 0;
      byte x;
      while (q < to && (x = b.getByte(q)) >= '0' && x <= '9') { ts = ts * 10 + (x - '0'); q++; }
      q = skipToDigit(b, q, to);
      while (q < to && (x = b.getByte(q)) >= '0' && x <= '9') { k = k * 10 + (x - '0'); q++; }
      sink.onMark(c, ts, k, b, from, to, p);
      n++;
      p = q;
    }
    return n;
  }

  static boolean startsWith(ByteBuf b, int from, int to, String prefix) {
    if (to - from < prefix.length()) return false;
    for (int i = 0; i < prefix.length(); i++) if (b.getByte(from + i) != prefix.charAt(i)) return false;
    return true;
  }

  static boolean contains(ByteBuf b, int from, int to, byte[] needle) { return find(b, from, to, needle) >= 0; }
}
