package io.sealroom.client;

/**
 * The key-transparency log did not prove that a key version the server handed out is the one
 * logged for its user: the head's signature failed, the log key changed, the log forked (a
 * smaller head, another root at the same size, no consistency with the head kept), or the
 * inclusion proof failed. The SDK then neither encrypts to that version nor trusts signatures
 * under it. Code {@value #CODE}.
 */
public class KeyTransparencyException extends SealroomException {
  public static final String CODE = "key_unproven";
  private final String userId;
  private final String username;

  KeyTransparencyException(String userId, String username, String detail) {
    super(CODE, "The server could not prove that these are " + (username != null ? username : userId)
        + "'s keys: " + detail);
    this.userId = userId;
    this.username = username;
  }

  /** The user whose keys are unproven. */
  public String userId() {
    return userId;
  }

  /** Their username, when the SDK knew it (else null). */
  public String username() {
    return username;
  }
}
