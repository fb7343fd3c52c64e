package io.sealroom.client;

/**
 * What this user knows of a contact's identity: their current key version, the version this
 * user verified (from the verified list, which follows the user to every device) and what that
 * makes the contact's status. Get it from {@link SealroomClient#identity(String)}.
 *
 * @param uid the contact's user id
 * @param username the contact's username, once the SDK saw it (room members, senders); else null
 * @param currentUkid their current key version; null when they have no keys
 * @param verifiedUkid the version this user marked verified, or null
 * @param status see {@link Status}
 * @param safetyNumber the safety number of this user and the contact for their current
 *     versions; null when either has no signing key
 */
public record Identity(String uid, String username, String currentUkid, String verifiedUkid, Status status,
    SafetyNumber safetyNumber) {

  /** The status of docs/protocol.md "The verified list". */
  public enum Status {
    /** The current version is the one this user marked verified. */
    VERIFIED,
    /** Never verified, or a changed key was accepted without verifying it. */
    UNVERIFIED,
    /**
     * The contact was verified, but their keys changed since. Nothing is encrypted to them (no
     * message is sent into a room they are in) until this user compares the new safety number
     * and calls {@link SealroomClient#markVerified} or {@link SealroomClient#acceptKeyChange}.
     */
    CHANGED
  }
}
