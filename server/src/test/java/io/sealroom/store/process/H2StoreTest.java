package io.sealroom.store.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index key type compares and writes index keys exactly as H2's own type does, so a file
 * written by either is read and searched correctly by the other.
 */
class H2StoreTest {
  private final Random random = new Random(7);

  @TempDir
  Path dir;

  private KeyValue randomKey() {
    Object[] values = new Object[1 + random.nextInt(2)];
    for (int i = 0; i < values.length; i++) {
      int kind = random.nextInt(5);
      values[i] = switch (kind) {
        case 0 -> null;
        case 1 -> (long) random.nextInt(1000) - 500;
        case 2 -> random.nextInt(100);
        default -> "u" + Integer.toString(random.nextInt(1_000_000), 36) + (kind == 4 ? "\u00e9" : "");
      };
    }
    return new KeyValue(values);
  }

  @Test
  void comparesAndWritesAsH2Does() {
    ObjectDataType h2 = new ObjectDataType();
    H2Store.IndexKeys ours = new H2Store.IndexKeys();
    for (int i = 0; i < 5_000; i++) {
      KeyValue a = randomKey();
      KeyValue b = random.nextInt(10) == 0 ? new KeyValue(a.stream().toList()) : randomKey();
      assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(ours.compare(a, b)), a + " vs " + b);
      assertEquals(Integer.signum(h2.compare(b, a)), Integer.signum(ours.compare(b, a)), b + " vs " + a);
      WriteBuffer theirs = new WriteBuffer();
      WriteBuffer mine = new WriteBuffer();
      h2.write(theirs, a);
      ours.write(mine, a);
      assertArrayEquals(bytes(theirs), bytes(mine), "written as H2 writes it");
    }
    assertEquals(0, ours.compare(new KeyValue("x", 1L), new KeyValue("x", 1L)));
  }

  private static byte[] bytes(WriteBuffer b) {
    java.nio.ByteBuffer buf = b.getBuffer();
    buf.flip();
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  @Test
  void aFileOfEitherTypeIsSearchedCorrectlyByTheOther() {
    String file = dir.resolve("t.mv.db").toString();
    List<KeyValue> keys = new ArrayList<>();
    MVStore plain = MVStore.open(file);
    MVMap<Object, Object> before = plain.openMap("db.c._index_k");
    for (int i = 0; i < 3_000; i++) {
      KeyValue k = randomKey();
      keys.add(k);
      before.put(k, "v" + i);
    }
    plain.close();

    MVStore typed = MVStore.open(file);
    MVMap<Object, Object> index = H2Store.openIndexMap(typed, "db.c._index_k");
    assertFound(index, keys);
    for (int i = 0; i < 3_000; i++) {
      KeyValue k = randomKey();
      keys.add(k);
      index.put(k, "w" + i);
    }
    assertFound(index, keys);
    typed.close();

    MVStore again = MVStore.open(file);
    MVMap<Object, Object> after = again.openMap("db.c._index_k");
    assertFound(after, keys);
    // and the order of the keys is H2's own order
    ObjectDataType h2 = new ObjectDataType();
    Object previous = null;
    for (Object k : after.keySet()) {
      if (previous != null) {
        assertEquals(-1, Integer.signum(h2.compare(previous, k)), previous + " before " + k);
      }
      previous = k;
    }
    again.close();
  }

  private static void assertFound(MVMap<Object, Object> map, List<KeyValue> keys) {
    for (KeyValue k : keys) {
      Object copy = new KeyValue(k.stream().toList());
      assertEquals(map.get(k), map.get(copy), "found by an equal key: " + k);
      assertEquals(true, map.containsKey(copy), "found: " + k);
    }
  }
}
