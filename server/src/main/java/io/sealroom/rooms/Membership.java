package io.sealroom.rooms;

/**
 * A user's membership of a room. {@code username} is kept with it so member lists need no join;
 * {@code keyId} is the kid of the E2E room key stored for this member, or null.
 */
public record Membership(String rid, String uid, String username, Role role, long joinedAt, String keyId) {

  /** Membership roles. */
  public enum Role { OWNER, MEMBER }

  public boolean isOwner() {
    return role == Role.OWNER;
  }
}
