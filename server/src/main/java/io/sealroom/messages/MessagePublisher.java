package io.sealroom.messages;

/**
 * Receives each message once, after it is durably stored, to fan it out (implemented by the
 * gateway: encode once, publish once on the event bus at the room's address).
 */
public interface MessagePublisher {
  void publish(Message message);
}
