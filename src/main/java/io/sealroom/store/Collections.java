package io.sealroom.store;

/** Collection names. */
final class Collections {
  static final String USERS = "users";
  static final String ROOMS = "rooms";
  static final String SUBSCRIPTIONS = "subscriptions";
  static final String MESSAGES = "messages";

  private Collections() {
  }
}
