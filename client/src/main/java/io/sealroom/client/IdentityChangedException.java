package io.sealroom.client;

/**
 * A send (or a room key hand-over) would encrypt to a member whom this user verified and whose
 * keys changed since ({@link Identity.Status#CHANGED}). Look at their new safety number, then
 * {@link SealroomClient#markVerified} or {@link SealroomClient#acceptKeyChange}; or send once
 * with {@link SendOption#ALLOW_CHANGED_IDENTITIES}. Code {@value #CODE}.
 */
public class IdentityChangedException extends SealroomException {
  public static final String CODE = "identity_changed";
  private final String userId;
  private final String username;

  IdentityChangedException(String userId, String username) {
    super(CODE, (username != null ? username : userId) + "'s keys changed since you verified them:"
        + " compare the new safety number, then mark it verified or accept the change");
    this.userId = userId;
    this.username = username;
  }

  public String userId() {
    return userId;
  }

  public String username() {
    return username;
  }
}
