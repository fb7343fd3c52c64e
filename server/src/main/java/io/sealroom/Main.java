package io.sealroom;

import io.sealroom.config.Config;
import io.sealroom.config.ConfigException;
import io.sealroom.config.ConfigLoader;
import io.sealroom.store.process.StoreMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point: {@code java -jar sealroom.jar [--config FILE]}. Loads and validates the
 * configuration (one line naming the key on error, exit code 2), starts a node and prints
 * {@code listening on http://HOST:PORT} once it serves. {@code java -jar sealroom.jar store ...}
 * runs the shared store process instead ({@link StoreMain}); {@code export}, {@code import} and
 * {@code backup} move and copy data ({@link DataCommands}); {@code kt-audit} audits a node's
 * key-transparency log ({@link io.sealroom.audit.KtAudit}).
 */
public final class Main {
  private static final Path DEFAULT_CONFIG = Path.of("conf", "config.json");

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && StoreMain.COMMAND.equals(args[0])) {
      StoreMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && io.sealroom.audit.KtAudit.COMMAND.equals(args[0])) {
      System.exit(io.sealroom.audit.KtAudit.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      return;
    }
    if (args.length > 0 && DataCommands.COMMANDS.contains(args[0])) {
      int status = DataCommands.run(args[0], Arrays.copyOfRange(args, 1, args.length));
      System.exit(status);
      return;
    }
    Config config;
    try {
      config = loadConfig(args);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Node node = Node.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "sealroom-shutdown"));
      System.out.println("listening on http://" + config.http().host() + ":" + node.port());
      System.out.flush();
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("startup failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static Config loadConfig(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        file = Path.of(args[i].substring("--config=".length()));
      } else {
        throw new ConfigException(args[i], "unknown argument (usage: java -jar sealroom.jar [--config FILE])");
      }
    }
    if (file == null) {
      if (!Files.exists(DEFAULT_CONFIG)) {
        return ConfigLoader.load(new io.vertx.core.json.JsonObject(), System.getenv());
      }
      file = DEFAULT_CONFIG;
    }
    return ConfigLoader.load(file, System.getenv());
  }
}
