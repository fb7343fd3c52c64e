package io.sealroom.client;

/**
 * Connection and room events of a {@link SealroomClient}. Every method has an empty default;
 * override what you need. Called on the client's event thread, in order, never concurrently.
 */
public interface ClientListener {
  /** The socket is authenticated (first time and after every reconnect). */
  default void onConnected(User user) {
  }

  /** The socket dropped; the client reconnects on its own with backoff. */
  default void onDisconnected(int closeCode, String reason) {
  }

  /**
   * The session is over for good: the token was refused (expired, or the user reset their
   * E2E keys on another device). Log in again to continue.
   */
  default void onSessionEnded(String reason) {
  }

  /** A room this user belongs to changed (created, renamed, converted, key set or rotated, membership). */
  default void onRoomChanged(Room room) {
  }

  /** A subscription ended on the server's side (the user was removed from the room). */
  default void onSubscriptionEnded(String roomId, String code) {
  }
}
