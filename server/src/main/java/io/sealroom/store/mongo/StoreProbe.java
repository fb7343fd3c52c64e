package io.sealroom.store.mongo;

import com.mongodb.MongoServerException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Tells a node whether its {@code mongo.uri} leads to the project's store process
 * ({@code sealroom.jar store}) or to a real MongoDB, with a command only the store process knows.
 * The store process is the embedded server: it wants the embedded index set, and it commits
 * every write before replying, so acknowledged writes need no sync of their own.
 */
public final class StoreProbe {
  /** The command ({@code {sealroomStore: 1}}); the store process answers {@code {sealroomStore: 1, persistent, ok: 1}}. */
  public static final String COMMAND = "sealroomStore";

  private StoreProbe() {
  }

  /**
   * True for the store process, false when the server refuses the command (MongoDB answers
   * "no such command"); fails when the store cannot be reached, as any first operation would.
   */
  public static Future<Boolean> isStoreProcess(MongoClient mongo) {
    return mongo.runCommand(COMMAND, new JsonObject().put(COMMAND, 1))
        .map(reply -> reply != null && reply.getValue(COMMAND) != null)
        .recover(t -> refused(t) ? Future.succeededFuture(false) : Future.failedFuture(t));
  }

  private static boolean refused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MongoServerException) {
        return true;
      }
    }
    return false;
  }
}
