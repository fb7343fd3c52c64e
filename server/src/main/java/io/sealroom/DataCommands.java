package io.sealroom;

import io.sealroom.config.Config;
import io.sealroom.config.ConfigException;
import io.sealroom.config.ConfigLoader;
import io.sealroom.store.FileModes;
import io.sealroom.store.rocksdb.Backups;
import io.sealroom.store.Stores;
import io.sealroom.store.Stores.StoredDoc;
import io.sealroom.store.rocksdb.RocksStores;
import io.sealroom.store.rocksdb.StoreLockedException;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data commands of the jar (docs/configuration.md, "Moving data"), each run with the node
 * stopped:
 * <ul>
 *   <li>{@code export [--config FILE] --out FILE}: everything in the configured store (either
 *       engine) as NDJSON: a first line naming the format and its version, then one line per
 *       document, {"c": collection, "d": document}, collections in the order users, rooms,
 *       subscriptions, messages; users and rooms by id, memberships by (room, user), messages by
 *       (room, seq); each document's keys sorted. Ciphertext stays ciphertext.</li>
 *   <li>{@code import [--config FILE] --in FILE}: into the configured store, which must be empty.</li>
 *   <li>{@code backup --data-dir DIR --to DIR2}: a consistent copy of a stopped embedded store.</li>
 * </ul>
 * A refusal (bad arguments, another format version, a store holding data, a running node) prints
 * one line and exits 2.
 */
final class DataCommands {
  static final String FORMAT = "sealroom-export";
  static final int VERSION = 1;
  static final List<String> COMMANDS = List.of("export", "import", "backup");

  private DataCommands() {
  }

  /** A refusal: one line, exit 2. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  static int run(String command, String[] args) {
    try {
      Map<String, String> opts = options(args);
      switch (command) {
        case "export" -> export(config(opts), Path.of(required(opts, "--out")));
        case "import" -> importFile(config(opts), Path.of(required(opts, "--in")));
        default -> backup(Path.of(required(opts, "--data-dir")), Path.of(required(opts, "--to")));
      }
      return 0;
    } catch (Refused | ConfigException e) {
      System.err.println(command + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println(command + " failed: " + e);
      return 1;
    }
  }

  private static Map<String, String> options(String[] args) throws Refused {
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new Refused("unexpected argument " + args[i]);
      }
      opts.put(args[i], args[++i]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) throws Refused {
    String v = opts.get(name);
    if (v == null) {
      throw new Refused("missing " + name);
    }
    return v;
  }

  private static Config config(Map<String, String> opts) {
    String file = opts.get("--config");
    return Main.loadConfig(file == null ? new String[0] : new String[] {"--config", file});
  }

  private static Stores open(Vertx vertx, Config config) throws Exception {
    try {
      return Node.openStores(vertx, config);
    } catch (ConfigException e) {
      throw new Refused(e.getMessage() + "; stop the node first");
    }
  }

  static void export(Config config, Path out) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path tmp = out.resolveSibling(out.getFileName() + ".part");
    long[] lines = {0};
    // the file holds password hashes: 0600 before anything is written to it
    try (Stores stores = open(vertx, config);
        BufferedWriter w = Files.newBufferedWriter(FileModes.createPrivateFile(tmp), StandardCharsets.UTF_8)) {
      w.write(new JsonObject().put("format", FORMAT).put("version", VERSION).encode());
      w.newLine();
      stores.exportTo(d -> {
        try {
          w.write(new JsonObject().put("c", d.collection()).put("d", canonical(d.doc())).encode());
          w.newLine();
          lines[0]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } finally {
      vertx.close();
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("exported " + lines[0] + " documents from the " + engineOf(config) + " store to " + out);
  }

  static void importFile(Config config, Path in) throws Exception {
    if (!Files.isRegularFile(in)) {
      throw new Refused("no such file: " + in);
    }
    try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      checkHeader(r.readLine());
      Vertx vertx = Vertx.vertx();
      long n = 0;
      try (Stores stores = open(vertx, config)) {
        if (!stores.isEmpty()) {
          throw new Refused("the " + stores.engine() + " store already holds data: import into an empty store");
        }
        try (Stores.Importer imp = stores.importer()) {
          for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
              imp.add(document(line, n + 2));
              n++;
            }
          }
        }
      } finally {
        vertx.close();
      }
      System.out.println("imported " + n + " documents into the " + engineOf(config) + " store");
    }
  }

  private static void checkHeader(String line) throws Refused {
    JsonObject h;
    try {
      h = line == null ? null : new JsonObject(line);
    } catch (DecodeException e) {
      h = null;
    }
    if (h == null || !FORMAT.equals(h.getString("format"))) {
      throw new Refused("not a Sealroom export (its first line must name the format " + FORMAT + ")");
    }
    if (!Integer.valueOf(VERSION).equals(h.getInteger("version"))) {
      throw new Refused("export format version " + h.getValue("version") + " is not supported (this version reads " + VERSION + ")");
    }
  }

  private static StoredDoc document(String line, long number) throws Refused {
    try {
      JsonObject o = new JsonObject(line);
      String c = o.getString("c");
      JsonObject d = o.getJsonObject("d");
      if (!StoredDoc.COLLECTIONS.contains(c) || d == null || d.getString("_id") == null) {
        throw new Refused("line " + number + ": not a document of users, rooms, subscriptions, messages or kt");
      }
      return new StoredDoc(c, d);
    } catch (DecodeException | ClassCastException e) {
      throw new Refused("line " + number + ": not JSON of the export format");
    }
  }

  static void backup(Path dataDir, Path to) throws Exception {
    Path db = dataDir.resolve(Stores.DB_DIR);
    if (!Files.isDirectory(db)) {
      throw new Refused("no embedded store in " + dataDir + " (expected " + db + ")");
    }
    if (Files.exists(to) && (!Files.isDirectory(to) || Files.list(to).findAny().isPresent())) {
      throw new Refused(to + " exists and is not empty");
    }
    Vertx vertx = Vertx.vertx();
    try (RocksStores stores = RocksStores.open(vertx, db.toString(), 16)) {
      Backups.copyDataDir(stores, dataDir, to);
    } catch (StoreLockedException e) {
      throw new Refused(e.getMessage() + "; stop the node first, or use POST /api/v1/admin/backups while it runs");
    } finally {
      vertx.close();
    }
    System.out.println("backed up " + dataDir + " to " + to + " (" + Backups.sizeOf(to) + " bytes)");
  }

  private static String engineOf(Config config) {
    return config.mongo().embedded() ? "rocksdb" : "mongodb";
  }

  /** The document with its keys sorted, at every depth: the same document gives the same line. */
  static JsonObject canonical(JsonObject o) {
    JsonObject out = new JsonObject();
    new TreeMap<>(o.getMap()).forEach((k, v) -> out.put(k, canonicalValue(v)));
    return out;
  }

  private static Object canonicalValue(Object v) {
    if (v instanceof JsonObject o) {
      return canonical(o);
    }
    if (v instanceof Map<?, ?> m) {
      return canonical(new JsonObject(new java.util.LinkedHashMap<>(castMap(m))));
    }
    if (v instanceof JsonArray a) {
      List<Object> items = new ArrayList<>();
      a.forEach(x -> items.add(canonicalValue(x)));
      return new JsonArray(items);
    }
    if (v instanceof List<?> l) {
      return canonicalValue(new JsonArray(new ArrayList<>(l)));
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
