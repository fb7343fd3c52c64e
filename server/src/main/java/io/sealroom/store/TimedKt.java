package io.sealroom.store;

import io.sealroom.kt.KtLeaf;
import io.sealroom.kt.KtStore;
import io.sealroom.kt.NodeId;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The key-transparency log with every request-path operation bound by the store deadline. The
 * start-up scan for unlogged versions is a background job, not a request: it is left unbounded.
 */
record TimedKt(KtStore s, StoreDeadline d) implements KtStore {
  @Override
  public Future<Long> append(String key, String leaf) {
    return d.bound(s.append(key, leaf));
  }

  @Override
  public Future<Logged> find(String key) {
    return d.bound(s.find(key));
  }

  @Override
  public Future<Long> size() {
    return d.bound(s.size());
  }

  @Override
  public Future<List<String>> leaves(long start, long end) {
    return d.bound(s.leaves(start, end));
  }

  @Override
  public Future<Map<NodeId, byte[]>> nodes(Collection<NodeId> ids) {
    return d.bound(s.nodes(ids));
  }

  @Override
  public Future<String> logKey(String candidate) {
    return d.bound(s.logKey(candidate));
  }

  @Override
  public Future<List<KtLeaf>> unlogged() {
    return s.unlogged();
  }
}
