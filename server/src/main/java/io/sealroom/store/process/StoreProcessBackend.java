package io.sealroom.store.process;

import io.sealroom.store.mongo.StoreProbe;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The store process's backend: mongo-java-server's own (H2 or memory) behind a decorator that
 * (1) holds the reply to every command that may write until a commit covers it, through the
 * connection's {@link ReplyGate}, and (2) answers {@link StoreProbe#COMMAND}.
 * <p>
 * mongo-java-server handles each request synchronously on the connection's event loop: the
 * MongoDatabaseHandler calls {@link #handleMessage} (OP_MSG, every command of current drivers)
 * or {@link #handleCommand} (OP_QUERY on {@code $cmd}, the legacy handshake), the backend applies
 * the write, and the handler then writes the reply down the pipeline, where the gate catches it.
 * Commands are told apart by name: a known read passes, anything else counts as a write (an
 * unknown command costs a commit wait, never durability).
 */
final class StoreProcessBackend implements MongoBackend {
  /** Commands that never change data (lower case: mongo-java-server matches names case-insensitively). */
  private static final Set<String> READS = Set.of("find", "getmore", "killcursors", "count", "distinct",
      "listcollections", "listindexes", "listdatabases", "dbstats", "collstats", "validate", "explain",
      "hello", "ismaster", "buildinfo", "whatsmyuri", "ping", "serverstatus", "getlasterror", "connectionstatus",
      "hostinfo", "getcmdlineopts", "getfreemonitoringstatus", "getlog", "getparameter", "replsetgetstatus",
      "endsessions");

  private final MongoBackend backend;
  private final CommitLoop commits;

  /** commits null: nothing to commit (memory), replies go at once. */
  StoreProcessBackend(MongoBackend backend, CommitLoop commits) {
    this.backend = backend;
    this.commits = commits;
  }

  /** True when the command may change data, so its reply must wait for a commit. */
  static boolean mayWrite(String command, Document body) {
    String name = command.toLowerCase(Locale.ROOT);
    if ("aggregate".equals(name)) {
      return writesOutput(body.get("pipeline"));
    }
    return !READS.contains(name);
  }

  /** An aggregation writes only through an $out or $merge stage. */
  private static boolean writesOutput(Object pipeline) {
    if (!(pipeline instanceof List)) {
      return false;
    }
    for (Object stage : (List<?>) pipeline) {
      if (stage instanceof Document && (((Document) stage).containsKey("$out") || ((Document) stage).containsKey("$merge"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    Document body = message.getDocument();
    String command = body.isEmpty() ? "" : body.keySet().iterator().next();
    if (StoreProbe.COMMAND.equalsIgnoreCase(command)) {
      return probeReply();
    }
    beforeCommand(message.getChannel(), command, body);
    return backend.handleMessage(message);
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    if (StoreProbe.COMMAND.equalsIgnoreCase(command)) {
      return probeReply();
    }
    beforeCommand(channel, command, query);
    return backend.handleCommand(channel, database, command, query);
  }

  /** Marks the reply about to be written for a commit; before the command runs, so that a failed write is committed too. */
  private void beforeCommand(Channel channel, String command, Document body) {
    if (commits == null || !mayWrite(command, body)) {
      return;
    }
    ReplyGate gate = (ReplyGate) channel.pipeline().get(ReplyGate.NAME);
    if (gate == null) {
      gate = new ReplyGate(commits);
      // last: a reply written on the channel passes it first, before it is encoded
      channel.pipeline().addLast(ReplyGate.NAME, gate);
    }
    gate.holdNextReply();
  }

  private Document probeReply() {
    Document reply = new Document(StoreProbe.COMMAND, 1);
    reply.put("persistent", commits != null);
    reply.put("ok", 1.0);
    return reply;
  }

  // legacy OP_QUERY on a collection is a read
  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return backend.handleQuery(query);
  }

  @Override
  public void handleClose(Channel channel) {
    backend.handleClose(channel);
  }

  @Override
  public void dropDatabase(String database) {
    backend.dropDatabase(database);
  }

  @Override
  public Collection<Document> getCurrentOperations(MongoQuery query) {
    return backend.getCurrentOperations(query);
  }

  @Override
  public Document getServerStatus() {
    return backend.getServerStatus();
  }

  @Override
  public void close() {
    backend.close();
  }

  @Override
  public void closeCursors(List<Long> cursorIds) {
    backend.closeCursors(cursorIds);
  }

  @Override
  public Clock getClock() {
    return backend.getClock();
  }

  @Override
  public void enableOplog() {
    backend.enableOplog();
  }

  @Override
  public void disableOplog() {
    backend.disableOplog();
  }

  @Override
  public MongoDatabase resolveDatabase(String database) {
    return backend.resolveDatabase(database);
  }

  @Override
  public MongoBackend version(MongoVersion version) {
    backend.version(version);
    return this;
  }
}
