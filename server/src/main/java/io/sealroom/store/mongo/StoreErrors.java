package io.sealroom.store.mongo;

import io.sealroom.common.ApiException;
import io.vertx.core.Future;

/** Translation of driver failures: duplicate keys are recognised once, here. */
public final class StoreErrors {
  /** MongoDB's code of a unique-index violation. */
  static final int DUPLICATE_KEY = 11000;

  private StoreErrors() {
  }

  /** True when the failure is a unique-index violation. */
  public static boolean isDuplicateKey(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.mongodb.MongoWriteException
          && ((com.mongodb.MongoWriteException) c).getError().getCode() == DUPLICATE_KEY) {
        return true;
      }
      if (c instanceof com.mongodb.MongoBulkWriteException
          && ((com.mongodb.MongoBulkWriteException) c).getWriteErrors().stream().anyMatch(e -> e.getCode() == DUPLICATE_KEY)) {
        return true;
      }
      String m = c.getMessage();
      if (m != null && m.contains("E11000")) {
        return true;
      }
    }
    return false;
  }

  /** True when the failure is a bulk write whose every error is a unique-index violation. */
  static boolean onlyDuplicateKeys(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.mongodb.MongoBulkWriteException b && !b.getWriteErrors().isEmpty()
          && b.getWriteErrors().stream().allMatch(e -> e.getCode() == DUPLICATE_KEY)) {
        return true;
      }
    }
    return false;
  }

  /** Any non-domain failure becomes {@code unavailable}; domain errors pass through. */
  public static <T> Future<T> unavailable(Throwable t) {
    return Future.failedFuture(t instanceof ApiException ? t : ApiException.unavailable());
  }
}
