package io.sealroom.testing;

import io.sealroom.config.Config;
import io.vertx.core.Vertx;

/** What a test uses of a node that runs in this JVM: its address, its config, its Vert.x, a REST client. */
public interface RunningNode {
  int port();

  Config config();

  Vertx vertx();

  default String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  default String wsUrl() {
    return "ws://127.0.0.1:" + port() + "/ws";
  }

  default Api api() {
    return new Api(baseUrl());
  }
}
