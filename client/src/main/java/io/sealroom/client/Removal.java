package io.sealroom.client;

import java.util.Objects;

/**
 * How this user's membership of a room ended, as the server told it: they left (from this or
 * another device), or an owner removed them ({@code by} is that owner).
 */
public record Removal(Reason reason, User by) {
  /** Why the membership ended. */
  public enum Reason {
    REMOVED,
    LEFT
  }

  public Removal {
    Objects.requireNonNull(reason, "reason");
  }

  public boolean left() {
    return reason == Reason.LEFT;
  }
}
