package io.sealroom;

/**
 * A service that another one calls but that is built after it, because it calls the first one
 * back (the room service records changes in the message service's timeline, and the message
 * service asks the room service about membership). {@link Node} closes each such loop with one
 * {@code Later}: the service built first gets a small adapter that reads the {@code Later} on
 * each call, and the {@code Later} is set once the second service exists, before any gateway
 * is deployed, so no request ever finds it empty.
 *
 * <p>Thread-safe: set once on the starting thread, then read on any thread (a volatile field;
 * deploying the gateways publishes it to their event loops as well).
 */
final class Later<T> {
  private final String name;
  private volatile T value;

  /** {@code name} says which service this stands for, in the error of a call made too early. */
  Later(String name) {
    this.name = name;
  }

  /** Sets the service; once only. */
  void set(T service) {
    if (service == null) {
      throw new IllegalArgumentException(name + ": null");
    }
    if (value != null) {
      throw new IllegalStateException(name + " is set already");
    }
    value = service;
  }

  /** The service; fails when it is called for before it was set (a wiring mistake). */
  T get() {
    T v = value;
    if (v == null) {
      throw new IllegalStateException(name + " is called before it was built");
    }
    return v;
  }
}
