package io.sealroom.store.rocksdb;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer thread's memory of the greatest seq of recently written rooms, so that storing the
 * next message of a room needs no read of its seq key: a seq above the greatest cannot be taken.
 * Only the writer thread writes messages, so what it remembers is never below the truth; after a
 * write that failed it may be above it, which only costs a read. Bounded (least recently used
 * rooms are forgotten and read again when they come back). Writer thread only.
 */
final class Heads {
  private static final int MAX_ROOMS = 100_000;
  private final Map<String, Long> top = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_ROOMS;
    }
  };

  /** The room's greatest seq, read once when not remembered. */
  long top(View v, String rid) {
    Long t = top.get(rid);
    if (t == null) {
      t = RocksRoomStore.head(v, rid);
      top.put(rid, t);
    }
    return t;
  }

  /** A message of this seq was written to the room. */
  void raised(String rid, long seq) {
    top.merge(rid, seq, Math::max);
  }
}
