package io.sealroom.store.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which commands' replies wait for a commit: every write, and anything not known to be a read. */
class StoreProcessBackendTest {

  @ParameterizedTest
  @ValueSource(strings = {"insert", "update", "delete", "findAndModify", "findandmodify", "createIndexes", "create",
      "drop", "dropIndexes", "dropDatabase", "renameCollection", "someFutureCommand"})
  void writesAndUnknownCommandsWaitForACommit(String command) {
    assertTrue(StoreProcessBackend.mayWrite(command, new Document(command, "c")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"find", "getMore", "killCursors", "count", "distinct", "listCollections", "listIndexes",
      "hello", "isMaster", "ismaster", "buildInfo", "ping", "endSessions"})
  void readsDoNotWait(String command) {
    assertFalse(StoreProcessBackend.mayWrite(command, new Document(command, "c")));
  }

  @Test
  void anAggregationWaitsOnlyWhenItWritesItsOutput() {
    Document match = new Document("$match", new Document("rid", "r"));
    assertFalse(StoreProcessBackend.mayWrite("aggregate", new Document("aggregate", "messages")
        .append("pipeline", List.of(match, new Document("$group", new Document("_id", null))))));
    assertTrue(StoreProcessBackend.mayWrite("aggregate", new Document("aggregate", "messages")
        .append("pipeline", List.of(match, new Document("$out", "copy")))));
    assertTrue(StoreProcessBackend.mayWrite("aggregate", new Document("aggregate", "messages")
        .append("pipeline", List.of(new Document("$merge", new Document("into", "copy"))))));
  }
}
