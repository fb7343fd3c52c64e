package io.sealroom.client;

import java.util.Objects;

/** A user as the server names it: a 20-character id and a lower-case username. */
public record User(String id, String username) {
  public User {
    Objects.requireNonNull(id, "id");
  }
}
