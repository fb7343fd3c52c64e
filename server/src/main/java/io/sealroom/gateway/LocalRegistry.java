package io.sealroom.gateway;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One gateway instance's index of key (room or user id) to its local members (a room's
 * subscriptions, a user's connections), with exactly one event-bus consumer per key that has
 * local members: the first member registers it, the last one to leave unregisters it. Confined
 * to the owning verticle's event loop; the member array is copied on change, so delivery
 * iterates it directly, without allocating or looking anything up per member.
 */
final class LocalRegistry<F, M> {
  private final EventBus bus;
  private final Function<String, String> address;
  private final Delivery<F, M> deliver;
  private final IntFunction<M[]> newArray;
  private final Map<String, Entry<F, M>> entries = new HashMap<>();
  /** Members of every key, over every registry sharing it (a node-wide gauge). */
  private final java.util.concurrent.atomic.AtomicInteger members;

  private static final class Entry<F, M> {
    M[] members;
    MessageConsumer<F> consumer;
    Future<Void> ready;
  }

  /** Delivers one bus message to the key's current local members. */
  interface Delivery<F, M> {
    void deliver(String key, M[] members, F frame);
  }

  LocalRegistry(EventBus bus, Function<String, String> address, IntFunction<M[]> newArray, Delivery<F, M> deliver,
      java.util.concurrent.atomic.AtomicInteger members) {
    this.members = members;
    this.bus = bus;
    this.address = address;
    this.newArray = newArray;
    this.deliver = deliver;
  }

  /** Adds the member; the future completes once the key's consumer is registered. */
  Future<Void> add(String key, M member) {
    Entry<F, M> e = entries.get(key);
    if (e == null) {
      Entry<F, M> created = new Entry<>();
      created.members = newArray.apply(0);
      created.consumer = bus.consumer(address.apply(key), msg -> deliver.deliver(key, created.members, msg.body()));
      created.ready = created.consumer.completion();
      entries.put(key, created);
      e = created;
    }
    for (M x : e.members) {
      if (x == member) {
        return e.ready;
      }
    }
    M[] next = Arrays.copyOf(e.members, e.members.length + 1);
    next[next.length - 1] = member;
    e.members = next;
    members.incrementAndGet();
    return e.ready;
  }

  /** Calls the action for every key with its current members (a snapshot: members may change meanwhile). */
  void forEach(java.util.function.BiConsumer<String, M[]> action) {
    for (Map.Entry<String, Entry<F, M>> e : new java.util.ArrayList<>(entries.entrySet())) {
      action.accept(e.getKey(), e.getValue().members);
    }
  }

  void remove(String key, M member) {
    Entry<F, M> e = entries.get(key);
    if (e == null) {
      return;
    }
    int n = 0;
    M[] next = newArray.apply(e.members.length);
    for (M x : e.members) {
      if (x != member) {
        next[n++] = x;
      }
    }
    if (n == e.members.length) {
      return; // not a member
    }
    members.decrementAndGet();
    if (n == 0) {
      entries.remove(key);
      e.consumer.unregister();
      return;
    }
    e.members = Arrays.copyOf(next, n);
  }
}
