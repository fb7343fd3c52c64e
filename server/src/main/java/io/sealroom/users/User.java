package io.sealroom.users;

import java.util.List;

/** A stored account. The password hash is encoded with its Argon2id parameters; toString hides it. */
public record User(String id, String username, String passwordHash, List<String> roles, long createdAt) {
  public User {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "User[id=" + id + ", username=" + username + ", roles=" + roles + "]";
  }
}
