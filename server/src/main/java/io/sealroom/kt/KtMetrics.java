package io.sealroom.kt;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The log's meters: how long appends take, and its size as this node last saw it. Thread-safe. */
public final class KtMetrics {
  private final Timer appends;
  private final AtomicLong size = new AtomicLong();

  /** Meters in the registry (null: a private registry nobody scrapes). */
  public KtMetrics(MeterRegistry registry) {
    MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
    appends = Timer.builder("sealroom_kt_append").description("Key-transparency log appends, until durable")
        .register(r);
    Gauge.builder("sealroom_kt_size", size, AtomicLong::get)
        .description("Leaves in the key-transparency log (as this node last saw it)").register(r);
  }

  void appended(long nanos) {
    appends.record(nanos, TimeUnit.NANOSECONDS);
  }

  void saw(long logSize) {
    size.accumulateAndGet(logSize, Math::max);
  }
}
