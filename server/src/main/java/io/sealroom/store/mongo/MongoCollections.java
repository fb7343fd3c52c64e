package io.sealroom.store.mongo;

/** Collection names. */
final class MongoCollections {
  static final String USERS = "users";
  static final String ROOMS = "rooms";
  static final String SUBSCRIPTIONS = "subscriptions";
  static final String MESSAGES = "messages";

  private MongoCollections() {
  }
}
