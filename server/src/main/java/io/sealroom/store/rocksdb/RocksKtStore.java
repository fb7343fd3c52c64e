package io.sealroom.store.rocksdb;

import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.Merkle;
import io.sealroom.kt.NodeId;
import io.sealroom.store.KeyVersionDocs;
import io.sealroom.keys.KeyVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KtStore} in the embedded database, under the tag {@code k} (no other store uses it):
 *
 * <pre>
 * k l index            leaf string (UTF-8), index as 8 big-endian bytes
 * k n level index      32-byte hash of a complete subtree (level: one byte)
 * k i uid|ukid         index of the version's leaf (8 bytes)
 * k s                  the size (8 bytes)
 * k K                  the log's signing key, as the service stores it
 * </pre>
 *
 * An append is one operation of the single writer: it reads the left siblings it needs (written
 * by earlier appends, or earlier in the same group) and writes the leaf, the nodes it completes,
 * the index entry and the new size in the group's one synced batch. So appends are serialized,
 * atomic and durable before they are answered, and a reader sees all of an append or none of it.
 */
public final class RocksKtStore implements KtStore {
  static final byte TAG = 'k';
  private static final byte LEAF = 'l';
  private static final byte NODE = 'n';
  private static final byte INDEX = 'i';
  private static final byte[] SIZE = {TAG, 's'};
  private static final byte[] LOG_KEY = {TAG, 'K'};
  private static final byte[] LEAVES = {TAG, LEAF};

  private final RocksEngine engine;

  public RocksKtStore(RocksEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<Long> append(String key, String leaf) {
    byte[] leafBytes = Codec.utf8(leaf);
    return engine.write(tx -> {
      byte[] known = tx.get(indexKey(key));
      if (known != null) {
        return ByteBuffer.wrap(known).getLong();
      }
      long n = size(tx);
      byte[] h = Merkle.leafHash(leafBytes);
      Map<NodeId, byte[]> done = Merkle.appendNodes(n, h, id -> required(tx, id));
      tx.put(leafKey(n), leafBytes);
      done.forEach((id, hash) -> tx.put(nodeKey(id), hash));
      tx.put(indexKey(key), longBytes(n));
      tx.put(SIZE, longBytes(n + 1));
      return n;
    });
  }

  @Override
  public Future<Logged> find(String key) {
    return engine.read(v -> {
      byte[] known = v.get(indexKey(key));
      if (known == null) {
        return null;
      }
      long index = ByteBuffer.wrap(known).getLong();
      return new Logged(index, Codec.string(v.get(leafKey(index))));
    });
  }

  @Override
  public Future<Long> size() {
    return engine.read(RocksKtStore::size);
  }

  @Override
  public Future<List<String>> leaves(long start, long end) {
    return engine.read(v -> {
      List<String> out = new ArrayList<>((int) Math.max(0, end - start));
      if (start >= end) {
        return out;
      }
      v.scan(LEAVES, leafKey(start), (k, val) -> {
        if (ByteBuffer.wrap(k, 2, 8).getLong() >= end) {
          return false;
        }
        out.add(Codec.string(val));
        return true;
      });
      return out;
    });
  }

  @Override
  public Future<Map<NodeId, byte[]>> nodes(Collection<NodeId> ids) {
    List<NodeId> wanted = List.copyOf(ids);
    return engine.read(v -> {
      Map<NodeId, byte[]> out = new HashMap<>();
      for (NodeId id : wanted) {
        byte[] h = v.get(nodeKey(id));
        if (h != null) {
          out.put(id, h);
        }
      }
      return out;
    });
  }

  @Override
  public Future<String> logKey(String candidate) {
    return engine.write(tx -> {
      byte[] stored = tx.get(LOG_KEY);
      if (stored != null) {
        return Codec.string(stored);
      }
      tx.put(LOG_KEY, Codec.utf8(candidate));
      return candidate;
    });
  }

  @Override
  public Future<List<KtLeaf>> unlogged() {
    return engine.readLong(v -> {
      List<KtLeaf> out = new ArrayList<>();
      v.scan(new byte[] {Codec.USER}, null, (k, val) -> {
        JsonObject user = Codec.doc(val);
        String uid = user.getString("_id");
        for (KeyVersion kv : KeyVersionDocs.versions(user)) {
          if (v.get(indexKey(KtLeaf.key(uid, kv.ukid()))) == null) {
            out.add(new KtLeaf(uid, kv.ukid(), kv.createdAt()));
          }
        }
        return true;
      });
      return out;
    });
  }

  private static long size(View v) {
    byte[] s = v.get(SIZE);
    return s == null ? 0 : ByteBuffer.wrap(s).getLong();
  }

  private static byte[] required(View v, NodeId id) {
    byte[] h = v.get(nodeKey(id));
    if (h == null) {
      throw new IllegalStateException("the log is missing node " + id);
    }
    return h;
  }

  private static byte[] leafKey(long index) {
    return ByteBuffer.allocate(10).put(TAG).put(LEAF).putLong(index).array();
  }

  private static byte[] nodeKey(NodeId id) {
    return ByteBuffer.allocate(11).put(TAG).put(NODE).put((byte) id.level()).putLong(id.index()).array();
  }

  private static byte[] indexKey(String key) {
    byte[] k = Codec.utf8(key);
    return ByteBuffer.allocate(2 + k.length).put(TAG).put(INDEX).put(k).array();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
