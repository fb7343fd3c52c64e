package io.sealroom.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node lifecycle the ITs share: one node for a class by default (its nested classes
 * included), a fresh one for each test with perMethod(), config overrides, files the config
 * names (removed with the node), and a node on an external MongoDB of its own.
 */
class NodeExtensionIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("ws.maxFrameBytes", 4096).build();
  static final Api api = node.api();
  static int port;

  @BeforeAll
  static void runsBeforeTheClassesOwnSetUp() {
    port = node.port();
  }

  @Test
  void startsOneNodeForTheClassWithTheOverrides() throws Exception {
    assertEquals(4096, node.config().ws().maxFrameBytes());
    assertEquals("http://127.0.0.1:" + port, node.baseUrl());
    assertEquals(200, api.get("/health", null).status(), "an Api taken before the start reaches the node");
    try (WsClient ws = WsClient.authed(node, api.newUser("ws"))) {
      assertFalse(ws.isClosed());
    }
  }

  @Nested
  class InANestedClass {
    @Test
    void theEnclosingClassesNodeStillRuns() {
      assertEquals(port, node.port(), "not a second node for the nested class");
    }
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerMethod {
    @RegisterExtension
    final NodeExtension each = NodeExtension.builder().perMethod()
        .file("auth.jwt.keyFile", dir -> Jwts.generate().writePrivatePem(dir, "jwt.pem")).build();

    @Test
    @Order(1)
    void startsANodeForTheTestWithTheFileItsConfigNames() {
      Path keyFile = Path.of(each.config().auth().jwt().keyFile());
      assertTrue(Files.isRegularFile(keyFile), keyFile.toString());
      Api.User u = each.api().newUser("once");
      assertEquals(409, each.api().register(u.username(), "password-1").status(), "taken on this node");
      Earlier.vertx = each.vertx();
      Earlier.username = u.username();
      Earlier.keyFile = keyFile;
    }

    @Test
    @Order(2)
    void startsAnotherForTheNextTestAndRemovedTheFirstOnesFiles() {
      assertNotSame(Earlier.vertx, each.vertx());
      assertEquals(201, each.api().register(Earlier.username, "password-1").status(),
          "an empty store: the first test's user is not there");
      assertFalse(Files.exists(Earlier.keyFile.getParent()), "the first node's directory is gone");
    }
  }

  /** What the per-method tests compare across tests (an instance does not outlive its test). */
  static final class Earlier {
    static Vertx vertx;
    static String username;
    static Path keyFile;
  }

  @Nested
  class OnExternalMongo {
    @RegisterExtension
    final NodeExtension onMongo = NodeExtension.builder().onExternalMongo().perMethod().build();

    @Test
    void storesInAMongoOfItsOwn() {
      Api.User u = onMongo.api().newUser("mongo");
      assertEquals(1, onMongo.mongo().count("users", new JsonObject().put("_id", u.id())));
      assertThrows(IllegalStateException.class, node::mongo, "the class's node keeps its own embedded store");
    }
  }
}
