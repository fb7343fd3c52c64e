package io.sealroom.client;

/** Options of one send. */
public enum SendOption {
  /**
   * Send even though a member's keys changed since this user verified them
   * ({@link Identity.Status#CHANGED}); for this send only, the change stays unaccepted.
   */
  ALLOW_CHANGED_IDENTITIES
}
