package io.sealroom.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sealroom's own meters, next to the Vert.x ones: open connections, messages in (stored) and
 * out (frames written to subscribers), fan-out latency (publish to local writes) and store
 * latency (send: checks, seq, insert and commit). Thread-safe.
 */
public final class GatewayMetrics {
  private final AtomicInteger connections = new AtomicInteger();
  /** Connections registered to receive their users' events, over every gateway instance. */
  final AtomicInteger userConnections = new AtomicInteger();
  /** HTTP connections open and not upgraded to a WebSocket, over every gateway instance. */
  final AtomicInteger httpConnections = new AtomicInteger();
  /** Live room subscriptions registered for delivery, over every gateway instance. */
  final AtomicInteger roomSubscriptions = new AtomicInteger();
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Timer fanout;
  private final Timer store;
  private final String registryName;
  private final MeterRegistry registry;

  /** Meters in the given registry (null: kept in a private registry nobody scrapes). */
  public GatewayMetrics(MeterRegistry registry, String registryName) {
    this.registryName = registryName;
    MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
    this.registry = r;
    Gauge.builder("sealroom_connections", connections, AtomicInteger::get)
        .description("Open WebSocket connections").register(r);
    Gauge.builder("sealroom_user_connections", userConnections, AtomicInteger::get)
        .description("Authenticated connections registered for their user's events (0 when no socket is open)").register(r);
    Gauge.builder("sealroom_http_connections", httpConnections, AtomicInteger::get)
        .description("HTTP connections open (not upgraded to a WebSocket) under the HTTP deadlines").register(r);
    Gauge.builder("sealroom_room_subscriptions", roomSubscriptions, AtomicInteger::get)
        .description("Room subscriptions registered for live delivery (0 when no socket is open)").register(r);
    messagesIn = Counter.builder("sealroom_messages_in").description("Messages stored and acknowledged").register(r);
    messagesOut = Counter.builder("sealroom_messages_out").description("Message frames written to subscribers").register(r);
    fanout = Timer.builder("sealroom_fanout_latency").description("From publish to the local subscribers' writes")
        .publishPercentiles(0.5, 0.99).register(r);
    store = Timer.builder("sealroom_store_latency").description("Send: checks, seq, insert and durable commit")
        .publishPercentiles(0.5, 0.99).register(r);
  }

  /** A clustered node also reports how many members its cluster has (this one included). */
  public void clusterMembers(java.util.function.IntSupplier members) {
    // strongly held: a gauge keeps only a weak reference to its object, and nothing else holds
    // this supplier, so after a garbage collection the gauge read NaN
    Gauge.builder("sealroom_cluster_members", members, m -> m.getAsInt()).strongReference(true)
        .description("Members of the cluster as this node sees them").register(registry);
  }

  /** The name of the Vert.x metrics registry to scrape, or null when metrics are off. */
  String registryName() {
    return registryName;
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  void stored(long nanos) {
    messagesIn.increment();
    store.record(nanos, TimeUnit.NANOSECONDS);
  }

  void delivered(int frames, long publishedNanos) {
    messagesOut.increment(frames);
    fanout.record(System.nanoTime() - publishedNanos, TimeUnit.NANOSECONDS);
  }
}
