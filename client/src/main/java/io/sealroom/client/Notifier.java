package io.sealroom.client;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Calls the client's listener on the delivery thread, in order; a listener that throws is logged. */
final class Notifier {
  private static final Logger LOG = Logger.getLogger(Notifier.class.getName());
  private final Executor delivery;
  private final ClientListener listener;

  Notifier(Executor delivery, ClientListener listener) {
    this.delivery = delivery;
    this.listener = listener;
  }

  void fire(Consumer<ClientListener> event) {
    if (listener == null) {
      return;
    }
    delivery.execute(() -> {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a client listener threw", e);
      }
    });
  }
}
