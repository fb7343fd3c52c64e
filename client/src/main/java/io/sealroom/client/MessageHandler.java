package io.sealroom.client;

/**
 * Receives the messages of one subscription, one at a time, in seq order, on the client's
 * event thread (see {@link SealroomClient}). It may call any client method, including the
 * blocking {@link SealroomClient#send(String, String)}; a handler that throws is logged and
 * the next message is still delivered.
 */
@FunctionalInterface
public interface MessageHandler {
  void onMessage(ChatMessage message);
}
