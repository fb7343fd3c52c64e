package io.sealroom.client;

import java.util.Objects;

/** One member of a room and their role ("owner" or "member"). */
public record Member(String id, String username, String role) {
  public Member {
    Objects.requireNonNull(id, "id");
  }

  public boolean isOwner() {
    return "owner".equals(role);
  }
}
