package io.sealroom.store.process;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The embedded server's on-disk backend (mongo-java-server's H2 MVStore backend), with its unique
 * indexes' keys compared at the cost of a byte comparison.
 *
 * <p>An index key there is a {@link KeyValue}, which H2 stores as a Java-serialized object and,
 * as it is not {@link Comparable}, compares by serializing both keys on every comparison of a
 * lookup's binary search. That was about half of the node's CPU per stored message on disk
 * (each message is checked against its (uid, cid) index). {@link IndexKeys} compares the same
 * serialized bytes in the same order, and writes them in the same format, so files written
 * before and after read the same; it only remembers each key object's bytes while it is looked
 * at. Index maps are opened with it before the backend opens them.
 */
final class H2Store extends H2Backend {
  /** How mongo-java-server names an index's map: collection namespace + this + index name. */
  private static final String INDEX_INFIX = "._index_";

  private H2Store(MVStore store) {
    super(withIndexKeys(store));
  }

  static H2Store open(String file) {
    return new H2Store(MVStore.open(file));
  }

  /** The index maps of an existing file, opened with {@link IndexKeys} before the backend opens them. */
  private static MVStore withIndexKeys(MVStore store) {
    for (String name : store.getMapNames()) {
      if (name.contains(INDEX_INFIX)) {
        openIndexMap(store, name);
      }
    }
    return store;
  }

  /** Opens (or creates) an index map with {@link IndexKeys}; a map already open is answered as it is. */
  static MVMap<Object, Object> openIndexMap(MVStore store, String name) {
    return store.openMap(name, new MVMap.Builder<Object, Object>().keyType(new IndexKeys()).valueType(new ObjectDataType()));
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName, getMvStore(), getCursorRegistry());
  }

  /** A database whose new indexes get {@link IndexKeys} too. */
  private static final class Database extends H2Database {
    /** Null while the superclass constructor opens the existing indexes (opened already, above). */
    private final MVStore store;

    Database(String name, MVStore store, CursorRegistry cursors) {
      super(name, store, cursors);
      this.store = store;
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
        boolean sparse) {
      if (store != null) {
        openIndexMap(store, getFullCollectionNamespace(collectionName) + INDEX_INFIX + indexName);
      }
      return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }
  }

  /**
   * H2's own key type, except for {@link KeyValue} keys: their serialized bytes (what H2 compares
   * and writes for them) are remembered per key object in a direct-mapped cache by identity,
   * shared by the threads that search the index and the one that writes its pages at a commit,
   * instead of made anew for every comparison. Key objects are immutable; an entry is immutable
   * too, so a thread sees either a whole entry or another one.
   */
  static final class IndexKeys extends ObjectDataType {
    /** H2's type tag of a serialized object, followed by the length and the bytes. */
    static final int TYPE_SERIALIZED_OBJECT = 19;
    /** At most this many keys and their bytes are held, a few MB: an index's upper pages and recent leaves. */
    private static final int SLOTS = 1 << 14;
    private static final AtomicReferenceArray<Entry> RECENT = new AtomicReferenceArray<>(SLOTS);

    private record Entry(Object key, byte[] data) {
    }

    @Override
    public int compare(Object a, Object b) {
      if (a != b && a instanceof KeyValue && b instanceof KeyValue) {
        return ObjectDataType.compareNotNull(bytes(a), bytes(b));
      }
      return super.compare(a, b);
    }

    @Override
    public void write(WriteBuffer buff, Object obj) {
      if (obj instanceof KeyValue) {
        byte[] data = bytes(obj);
        buff.put((byte) TYPE_SERIALIZED_OBJECT).putVarInt(data.length).put(data);
        return;
      }
      super.write(buff, obj);
    }

    static byte[] bytes(Object key) {
      int slot = System.identityHashCode(key) & (SLOTS - 1);
      Entry e = RECENT.get(slot);
      if (e != null && e.key == key) {
        return e.data;
      }
      byte[] data = ObjectDataType.serialize(key);
      RECENT.lazySet(slot, new Entry(key, data));
      return data;
    }
  }
}
