package io.sealroom.client;

/**
 * Connection and room events of a {@link SealroomClient}. Every method has an empty default;
 * override what you need. Called on the client's event thread, in order, never concurrently.
 */
public interface ClientListener {
  /** {@link #onSessionEnded} reason: the user reset their E2E keys on another device. */
  String KEY_RESET = "key_reset";
  /** {@link #onSessionEnded} reason: the server refused the token for another reason (e.g. it expired). */
  String TOKEN_REFUSED = "token_refused";

  /** The socket is authenticated (first time and after every reconnect). */
  default void onConnected(User user) {
  }

  /** The socket dropped; the client reconnects on its own with backoff. */
  default void onDisconnected(int closeCode, String reason) {
  }

  /**
   * The session is over for good: the token was refused. {@code reason} is {@value #KEY_RESET}
   * when the user reset their E2E keys on another device, else {@value #TOKEN_REFUSED} (it
   * expired, for example). Log in again to continue.
   */
  default void onSessionEnded(String reason) {
  }

  /**
   * A room this user belongs to changed (created, renamed, converted, key set or rotated,
   * membership). Not called for the room this user just left or was removed from: see
   * {@link #onRemoved}.
   */
  default void onRoomChanged(Room room) {
  }

  /**
   * This user is no longer a member of the room: they left, or an owner removed them
   * ({@code removal} says which, and who). A subscription to it ends too
   * ({@link #onSubscriptionEnded} follows).
   */
  default void onRemoved(Room room, Removal removal) {
  }

  /** A subscription ended on the server's side (the user left or was removed: code {@code not_member}). */
  default void onSubscriptionEnded(String roomId, String code) {
  }

  /**
   * A member of a subscribed room set new keys: a {@code user.keys.changed} event was delivered
   * (live or from history) with their new version {@code ukid}. Check
   * {@link SealroomClient#identity(String)}: a contact this user verified is now
   * {@link Identity.Status#CHANGED}, and sends into rooms with them throw
   * {@link IdentityChangedException} until the change is verified or accepted.
   */
  default void onKeysChanged(String roomId, User user, String ukid) {
  }
}
