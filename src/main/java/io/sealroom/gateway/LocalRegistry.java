package io.sealroom.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One gateway instance's index of key (room or user id) to its local connections, with exactly
 * one event-bus consumer per key that has local connections: the first connection registers it,
 * the last one to leave unregisters it. Confined to the owning verticle's event loop; the
 * connection list is copied on change so delivery iterates without allocating.
 */
final class LocalRegistry<F> {
  private static final Connection[] NONE = new Connection[0];

  private final EventBus bus;
  private final Function<String, String> address;
  private final Delivery<F> deliver;
  private final Map<String, Entry<F>> entries = new HashMap<>();

  private static final class Entry<F> {
    Connection[] connections = NONE;
    MessageConsumer<F> consumer;
    Future<Void> ready;
  }

  /** Delivers one bus message to the key's current local connections. */
  interface Delivery<F> {
    void deliver(String key, Connection[] connections, F frame);
  }

  LocalRegistry(EventBus bus, Function<String, String> address, Delivery<F> deliver) {
    this.bus = bus;
    this.address = address;
    this.deliver = deliver;
  }

  /** Adds the connection; the future completes once the key's consumer is registered. */
  Future<Void> add(String key, Connection c) {
    Entry<F> e = entries.get(key);
    if (e == null) {
      Entry<F> created = new Entry<>();
      created.consumer = bus.consumer(address.apply(key), msg -> deliver.deliver(key, created.connections, msg.body()));
      created.ready = created.consumer.completion();
      entries.put(key, created);
      e = created;
    }
    for (Connection x : e.connections) {
      if (x == c) {
        return e.ready;
      }
    }
    Connection[] next = java.util.Arrays.copyOf(e.connections, e.connections.length + 1);
    next[next.length - 1] = c;
    e.connections = next;
    return e.ready;
  }

  void remove(String key, Connection c) {
    Entry<F> e = entries.get(key);
    if (e == null) {
      return;
    }
    int n = 0;
    Connection[] next = new Connection[e.connections.length];
    for (Connection x : e.connections) {
      if (x != c) {
        next[n++] = x;
      }
    }
    if (n == 0) {
      entries.remove(key);
      e.consumer.unregister();
      return;
    }
    e.connections = java.util.Arrays.copyOf(next, n);
  }
}
