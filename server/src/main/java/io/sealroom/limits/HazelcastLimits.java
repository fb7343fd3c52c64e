package io.sealroom.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * {@link Limits} kept in the cluster's Hazelcast maps (named {@code sealroom.limits.<name>}, idle
 * entries expire): each check is one entry processor run atomically on the key's owner, with
 * the owner's clock, so a limit holds per key across every node. Thread-safe.
 */
public final class HazelcastLimits implements Limits {
  /** Prefix of the maps; ClusterSetup gives maps of this prefix an idle expiry. */
  public static final String MAP_PREFIX = "sealroom.limits.";

  private final HazelcastInstance hz;
  private final Vertx vertx;

  public HazelcastLimits(HazelcastInstance hz, Vertx vertx) {
    this.hz = hz;
    this.vertx = vertx;
  }

  @Override
  public Windows windows(String name, int limit, long windowMs) {
    IMap<String, long[]> map = hz.getMap(MAP_PREFIX + name);
    return new Windows() {
      @Override
      public Future<Boolean> tryAcquire(String key) {
        return Future.fromCompletionStage(map.submitToKey(key, new WindowAcquire(limit, windowMs)),
            vertx.getOrCreateContext());
      }

      @Override
      public void forgive(String key) {
        map.submitToKey(key, new WindowForgive(windowMs));
      }
    };
  }

  @Override
  public Buckets buckets(String name, int ratePerSecond, int burstSeconds) {
    IMap<String, double[]> map = hz.getMap(MAP_PREFIX + name);
    BucketTake take = new BucketTake(ratePerSecond, (double) ratePerSecond * burstSeconds);
    return key -> Future.fromCompletionStage(map.submitToKey(key, take), vertx.getOrCreateContext());
  }

  /** Window state: {start ms, count}. */
  static final class WindowAcquire implements EntryProcessor<String, long[], Boolean> {
    private static final long serialVersionUID = 1L;
    private final int limit;
    private final long windowMs;

    WindowAcquire(int limit, long windowMs) {
      this.limit = limit;
      this.windowMs = windowMs;
    }

    @Override
    public Boolean process(Map.Entry<String, long[]> entry) {
      long now = System.currentTimeMillis();
      long[] w = entry.getValue();
      if (w == null || now - w[0] >= windowMs) {
        w = new long[] {now, 0};
      }
      if (w[1] >= limit) {
        return false;
      }
      w[1]++;
      entry.setValue(w);
      return true;
    }
  }

  static final class WindowForgive implements EntryProcessor<String, long[], Boolean> {
    private static final long serialVersionUID = 1L;
    private final long windowMs;

    WindowForgive(long windowMs) {
      this.windowMs = windowMs;
    }

    @Override
    public Boolean process(Map.Entry<String, long[]> entry) {
      long[] w = entry.getValue();
      if (w == null || System.currentTimeMillis() - w[0] >= windowMs || w[1] == 0) {
        return false;
      }
      w[1]--;
      entry.setValue(w);
      return true;
    }
  }

  /** Bucket state: {tokens, last refill ms}. */
  static final class BucketTake implements EntryProcessor<String, double[], Boolean> {
    private static final long serialVersionUID = 1L;
    private final double rate;
    private final double capacity;

    BucketTake(double rate, double capacity) {
      this.rate = rate;
      this.capacity = capacity;
    }

    @Override
    public Boolean process(Map.Entry<String, double[]> entry) {
      long now = System.currentTimeMillis();
      double[] b = entry.getValue();
      if (b == null) {
        b = new double[] {capacity, now};
      }
      boolean taken = Bucket.take(b, rate, capacity, now);
      entry.setValue(b);
      return taken;
    }
  }
}
