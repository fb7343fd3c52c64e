package io.sealroom.messages;

import io.vertx.core.Future;

/**
 * Makes completed writes durable. {@link #sync()} completes once every write that completed
 * before the call survives a kill -9 of the process. One sync may serve many callers.
 */
public interface Durability {
  Future<Void> sync();

  /** For stores whose acknowledged writes are already durable (MongoDB with a journaled write concern, or memory). */
  static Durability immediate() {
    return Future::succeededFuture;
  }
}
