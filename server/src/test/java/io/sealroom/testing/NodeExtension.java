package io.sealroom.testing;

import io.sealroom.config.Config;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns a {@link TestNode} for a test class: starts it before the class's {@code @BeforeAll}
 * methods and stops it after its {@code @AfterAll} methods, or around each test (before its
 * {@code @BeforeEach}, after its {@code @AfterEach}) with {@link Builder#perMethod()}.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final NodeExtension node = NodeExtension.builder().config("ws.maxQueuedBytes", 65536).build();
 * static final Api api = node.api();
 * </pre>
 *
 * <p>Register it on a static field (with perMethod(), an instance field also does). It is the
 * {@link RunningNode} of whichever node runs at the time of the call; {@link #api()} may be
 * taken before the node starts (it asks for the address at each request). Other calls while no
 * node runs fail. Tests of one class run one at a time: it is not made for concurrent test
 * execution.
 */
public final class NodeExtension
    implements RunningNode, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Map<String, Object> config;
  private final Map<String, FileMaker> files;
  private final boolean perMethod;
  private final boolean externalMongo;
  private final Runnable assumption;
  private ExtensionContext owner;
  private Path dir;
  private ExternalMongo mongo;
  private TestNode node;

  private NodeExtension(Builder b) {
    this.config = Map.copyOf(b.config);
    this.files = Map.copyOf(b.files);
    this.perMethod = b.perMethod;
    this.externalMongo = b.externalMongo;
    this.assumption = b.assumption;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Writes a file the node's config names (a key file, say) into a directory the extension removes after. */
  @FunctionalInterface
  public interface FileMaker {
    Path write(Path dir) throws Exception;
  }

  /** The node's settings; each {@code config} call adds overrides on top of {@link TestNode}'s. */
  public static final class Builder {
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, FileMaker> files = new LinkedHashMap<>();
    private boolean perMethod;
    private boolean externalMongo;
    private Runnable assumption = () -> { };

    private Builder() {
    }

    /** A config path ("ws.maxQueuedBytes") and its value. */
    public Builder config(String path, Object value) {
      config.put(path, value);
      return this;
    }

    public Builder config(Map<String, ?> overrides) {
      config.putAll(overrides);
      return this;
    }

    /** A config path whose value is the path of a file written before the node starts. */
    public Builder file(String path, FileMaker maker) {
      files.put(path, maker);
      return this;
    }

    /** A fresh node for each test instead of one for the class. */
    public Builder perMethod() {
      perMethod = true;
      return this;
    }

    /** The node keeps its data in an {@link ExternalMongo} of its own, started before it and closed after. */
    public Builder onExternalMongo() {
      externalMongo = true;
      return this;
    }

    /** Runs before anything starts; an assumption that fails there skips the tests without a node. */
    public Builder assuming(Runnable check) {
      assumption = check;
      return this;
    }

    public NodeExtension build() {
      return new NodeExtension(this);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!perMethod) {
      start(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (!perMethod) {
      stop(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (perMethod) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (perMethod) {
      stop(context);
    }
  }

  /** Starts once per owner: a nested class's callbacks find the enclosing class's node running and keep it. */
  private void start(ExtensionContext context) throws Exception {
    if (owner != null) {
      return;
    }
    assumption.run();
    owner = context;
    try {
      Map<String, Object> all = new LinkedHashMap<>(config);
      if (!files.isEmpty()) {
        dir = Files.createTempDirectory("sealroom-node");
        for (Map.Entry<String, FileMaker> f : files.entrySet()) {
          all.put(f.getKey(), f.getValue().write(dir).toString());
        }
      }
      if (externalMongo) {
        mongo = ExternalMongo.start();
        all.put("mongo.uri", mongo.uri());
        all.put("mongo.database", ExternalMongo.DATABASE);
      }
      node = TestNode.start(all);
    } catch (Exception | Error e) {
      try {
        stop(context);
      } catch (IOException | RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    }
  }

  /** The node, then its store, then its files; each is let go even when an earlier one fails to close. */
  private void stop(ExtensionContext context) throws IOException {
    if (owner != context) {
      return;
    }
    owner = null;
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      node = null;
      try {
        if (mongo != null) {
          mongo.close();
        }
      } finally {
        mongo = null;
        deleteDir();
      }
    }
  }

  private void deleteDir() throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } finally {
      dir = null;
    }
  }

  private TestNode running() {
    if (node == null) {
      throw new IllegalStateException("no node runs now: it runs from before all tests of the class to after them"
          + " (before and after each test with perMethod())");
    }
    return node;
  }

  @Override
  public int port() {
    return running().port();
  }

  @Override
  public Config config() {
    return running().config();
  }

  @Override
  public Vertx vertx() {
    return running().vertx();
  }

  /** The Api of whichever node runs at each request: it can be held in a static final field. */
  @Override
  public Api api() {
    return new Api(this::baseUrl);
  }

  /** The store of {@link Builder#onExternalMongo()}, to look at and arrange documents directly. */
  public ExternalMongo mongo() {
    running();
    if (mongo == null) {
      throw new IllegalStateException("this node keeps its data in its own embedded store: see onExternalMongo()");
    }
    return mongo;
  }
}
