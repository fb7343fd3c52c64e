package io.sealroom.store.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Cuts a torn tail off the newest write-ahead log before RocksDB opens it. A crash in the middle
 * of a WAL write (or a disk that wrote garbage there) can leave bytes that RocksDB's log reader
 * spins on for ever in DB::Open whatever the recovery mode (RocksDB issue 13333, still so in
 * rocksdbjni 10.10 and 11.1). Every acknowledged write was fsynced whole before its answer, so
 * what follows the last complete, checksummed record is never acknowledged data: the log is
 * truncated right after that record, which is where point-in-time recovery would stop anyway.
 * The bytes cut off are kept beside the store ({@code <dataDir>/<log>.torn-<ms>}) and one line
 * is logged. A log that reads clean to its end is not touched.
 *
 * <p>Format (RocksDB log_format.h): 32 KiB blocks of records; a record is a masked CRC32C (4
 * bytes, little-endian), a length (2), a type (1), for the recyclable types a log number (4),
 * then the payload; the CRC covers the type, the log number if any and the payload. Fewer than
 * a header's bytes at a block's end are zero padding. FULL records and the LAST of FIRST,
 * MIDDLE, LAST fragments end a logical record.
 */
final class WalTail {
  private static final Logger LOG = Logger.getLogger(WalTail.class.getName());
  static final int BLOCK = 32 * 1024;
  private static final int HEADER = 7;
  private static final int RECYCLABLE_HEADER = 11;
  private static final int MASK_DELTA = 0xa282ead8;

  private WalTail() {
  }

  /** Repairs the newest *.log under the RocksDB directory, if it has a torn tail. */
  static void repairNewest(Path dbDir) throws IOException {
    if (!Files.isDirectory(dbDir)) {
      return;
    }
    Path newest;
    try (Stream<Path> files = Files.list(dbDir)) {
      newest = files.filter(p -> p.getFileName().toString().matches("[0-9]+\\.log"))
          .max((a, b) -> Long.compare(number(a), number(b))).orElse(null);
    }
    if (newest == null) {
      return;
    }
    long size = Files.size(newest);
    long end = cleanEnd(newest);
    if (end >= size) {
      return;
    }
    Path kept = dbDir.toAbsolutePath().getParent().resolve(newest.getFileName() + ".torn-" + System.currentTimeMillis());
    Files.copy(newest, kept, StandardCopyOption.COPY_ATTRIBUTES);
    try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
      ch.truncate(end);
      ch.force(true);
    }
    LOG.warning("the write-ahead log " + newest.getFileName() + " ended in a torn or corrupt record: cut after its last"
        + " complete record (" + end + " of " + size + " bytes; nothing acknowledged is in the rest), original kept as " + kept);
  }

  private static long number(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - 4));
  }

  /**
   * The offset just after the last complete logical record before the first bad one, or the
   * file's size when it reads clean to its end (zero padding and a preallocated zero tail included).
   */
  static long cleanEnd(Path wal) throws IOException {
    ByteBuffer d = ByteBuffer.wrap(Files.readAllBytes(wal)).order(ByteOrder.LITTLE_ENDIAN);
    int size = d.capacity();
    int pos = 0;
    int complete = 0;
    while (pos < size) {
      int left = BLOCK - pos % BLOCK;
      if (left < HEADER) {
        if (!zeros(d, pos, Math.min(size, pos + left))) {
          return complete;
        }
        pos += left;
        continue;
      }
      if (size - pos < HEADER) {
        return zeros(d, pos, size) ? size : complete;
      }
      int stored = d.getInt(pos);
      int length = Short.toUnsignedInt(d.getShort(pos + 4));
      int type = Byte.toUnsignedInt(d.get(pos + 6));
      if (type == 0 && length == 0 && stored == 0) {
        // preallocated space: zeros to the end of the file are no record at all
        return zeros(d, pos, size) ? size : complete;
      }
      int header = recyclable(type) ? RECYCLABLE_HEADER : HEADER;
      if (header + length > left || pos + header + length > size) {
        return complete; // does not fit its block, or cut short by the end of the file
      }
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(d.array(), pos + 6, header - 6 + length);
      if (mask((int) crc.getValue()) != stored) {
        return complete;
      }
      pos += header + length;
      // FULL and LAST (and their recyclable twins) end a logical record; other types stand alone
      if (type != 2 && type != 3 && type != 6 && type != 7) {
        complete = pos;
      }
    }
    return size;
  }

  private static boolean recyclable(int type) {
    return type >= 5 && type <= 8 || type == 11 || type == 131;
  }

  private static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  private static boolean zeros(ByteBuffer d, int from, int to) {
    for (int i = from; i < to; i++) {
      if (d.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
