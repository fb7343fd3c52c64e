package io.sealroom.store.mongo;

/** Collection names. */
final class MongoCollections {
  static final String USERS = "users";
  static final String ROOMS = "rooms";
  static final String SUBSCRIPTIONS = "subscriptions";
  static final String MESSAGES = "messages";
  /** Files' metadata ({@link MongoFileStore}); their bytes are in the GridFS bucket {@link GridFsBlobs#BUCKET}. */
  static final String FILES = "files";
  static final String FILE_USAGE = "fileUsage";

  private MongoCollections() {
  }
}
