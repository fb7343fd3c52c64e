package io.sealroom.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code java -jar sealroom.jar kt-audit --url URL [--head FILE]... [--save FILE] [--log-key X]}:
 * downloads the whole key-transparency log, rebuilds its tree, and checks the node's current
 * head and every signed head it is given against it (docs/protocol.md "Auditing").
 *
 * <p>Exit status: 0 when every head's signature verifies with one log key, every leaf is well
 * formed and logged once, and every head's root is the root of the rebuilt tree of its size; 1
 * with a line {@code FAIL ...} naming the first bad leaf index otherwise; 2 when the audit could
 * not run (bad arguments, the node unreachable).
 */
public final class KtAudit {
  public static final String COMMAND = "kt-audit";
  static final int PAGE = 1000;
  private static final Pattern LEAF = Pattern.compile("^[0-9A-Za-z]{1,64}\\|[A-Za-z0-9_-]{16}\\|[0-9]{1,15}$");

  /** The log failed a check: {@code index} is the first bad leaf (-1 when the fault is not a leaf's). */
  static final class Bad extends Exception {
    final long index;

    Bad(long index, String message) {
      super(message);
      this.index = index;
    }
  }

  private final AuditClient client;
  private final PrintStream out;
  private final AuditTree tree = new AuditTree();
  private final List<String> leaves = new ArrayList<>();

  KtAudit(AuditClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, List<String>> opts;
    try {
      opts = options(args);
    } catch (IllegalArgumentException e) {
      err.println(COMMAND + ": " + e.getMessage());
      err.println("usage: java -jar sealroom.jar kt-audit --url URL [--head FILE]... [--save FILE] [--log-key X]");
      return 2;
    }
    try {
      List<SignedHead> given = new ArrayList<>();
      for (String f : opts.getOrDefault("--head", List.of())) {
        given.addAll(readHeads(Path.of(f)));
      }
      String pinned = opts.containsKey("--log-key") ? opts.get("--log-key").get(0) : null;
      KtAudit audit = new KtAudit(new AuditClient(opts.get("--url").get(0)), out);
      SignedHead current = audit.audit(given, pinned);
      if (opts.containsKey("--save")) {
        save(Path.of(opts.get("--save").get(0)), current);
      }
      return 0;
    } catch (Bad b) {
      out.println("FAIL " + b.getMessage());
      out.println(b.index >= 0 ? "first bad index: " + b.index : "first bad index: none (the fault is a head's)");
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println(COMMAND + ": could not audit: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
  }

  /** Checks everything and answers the node's current head (the one to keep for the next run). */
  SignedHead audit(List<SignedHead> given, String pinnedKey) throws Bad, IOException, InterruptedException {
    SignedHead current;
    try {
      current = SignedHead.of(client.head());
    } catch (IllegalArgumentException e) {
      throw new Bad(-1, "the node's head is malformed: " + e.getMessage());
    }
    List<SignedHead> heads = new ArrayList<>(given);
    heads.add(current);
    String key = pinnedKey != null ? pinnedKey : heads.get(0).logKeyX();
    for (SignedHead h : heads) {
      if (!h.logKeyX().equals(key)) {
        throw new Bad(-1, "the head of size " + h.size() + " (ts " + h.ts() + ") is signed with another log key: " + h.logKeyX());
      }
      if (!h.signatureValid()) {
        throw new Bad(-1, "the head of size " + h.size() + " (ts " + h.ts() + ") has a bad signature");
      }
    }
    heads.sort(Comparator.comparingLong(SignedHead::size));
    SignedHead largest = heads.get(heads.size() - 1);
    if (largest.size() > current.size()) {
      throw new Bad(current.size(), "the log shrank: a head of size " + largest.size() + " was signed (ts "
          + largest.ts() + "), the node's head has " + current.size());
    }
    download(current.size());
    SignedHead lastGood = null;
    for (SignedHead h : heads) {
      if (!Arrays.equals(tree.root(0, (int) h.size()), h.rootBytes())) {
        throw locate(h, lastGood);
      }
      lastGood = h;
    }
    out.println("kt-audit: clean: " + current.size() + " leaves, " + heads.size() + " signed heads checked, root "
        + current.root() + " (ts " + current.ts() + ")");
    return current;
  }

  /** Reads leaves [0, size) a page at a time, checking each one's form and that none repeats. */
  private void download(long size) throws Bad, IOException, InterruptedException {
    if (size > Integer.MAX_VALUE - 8) {
      throw new Bad(-1, "the head's size " + size + " is beyond what this auditor holds");
    }
    Map<String, Long> seen = new HashMap<>();
    for (long start = 0; start < size; start += PAGE) {
      long end = Math.min(size, start + PAGE);
      JsonObject page;
      try {
        page = client.leaves(start, end);
      } catch (AuditClient.Missing e) {
        throw new Bad(start, "the node does not serve leaves " + start + " to " + end);
      }
      Object list = page.getValue("leaves");
      if (!(list instanceof JsonArray arr) || !Long.valueOf(start).equals(page.getLong("start"))) {
        throw new Bad(start, "the leaves from " + start + " are not a page of the log");
      }
      for (int i = 0; i < arr.size(); i++) {
        long index = start + i;
        if (index >= end) {
          throw new Bad(end, "the page from " + start + " has more leaves than were asked for");
        }
        if (!(arr.getValue(i) instanceof String leaf) || !LEAF.matcher(leaf).matches()) {
          throw new Bad(index, "leaf " + index + " is not <uid>|<ukid>|<createdAt>");
        }
        String id = leaf.substring(0, leaf.lastIndexOf('|'));
        Long before = seen.putIfAbsent(id, index);
        if (before != null) {
          throw new Bad(index, "leaf " + index + " logs the version " + id + " a second time (first at " + before + ")");
        }
        leaves.add(leaf);
        tree.add(leaf);
      }
      if (arr.size() != end - start) {
        throw new Bad(misplaced(start, size), "the page from " + start + " ends after " + arr.size() + " of "
            + (end - start) + " leaves");
      }
    }
  }

  /**
   * Where a short page went wrong: the first of its leaves that the node's own proof puts at
   * another index (a leaf left out moves the ones after it), else the page's end.
   */
  private long misplaced(long start, long size) throws IOException, InterruptedException {
    for (int i = (int) start; i < leaves.size(); i++) {
      String[] parts = leaves.get(i).split("\\|");
      try {
        if (!Long.valueOf(i).equals(client.proof(parts[0], parts[1], size).getLong("index"))) {
          return i;
        }
      } catch (AuditClient.Missing e) {
        return i;
      }
    }
    return leaves.size();
  }

  /**
   * The first leaf where the rebuilt tree and head {@code h} part. Walks down from the root with
   * the node's inclusion proofs: a proof for the first leaf of a range carries the node's hashes
   * of the ranges beside it; the lowest one that differs from the rebuilt tree's is where to look
   * next. When the node's own proof no longer leads to the signed root, the log was rewritten
   * after {@code h} was signed: then the heads bound where.
   */
  private Bad locate(SignedHead h, SignedHead lastGood) throws IOException, InterruptedException {
    int lo = 0;
    int hi = (int) h.size();
    byte[] expected = h.rootBytes();
    while (hi - lo > 1) {
      String leaf = leaves.get(lo);
      String[] parts = leaf.split("\\|");
      JsonObject proof;
      try {
        proof = client.proof(parts[0], parts[1], h.size());
      } catch (AuditClient.Missing e) {
        return new Bad(lo, "the node serves leaf " + lo + " (" + leaf + ") but cannot prove it");
      }
      List<byte[]> path = path(proof);
      if (!Long.valueOf(lo).equals(proof.getLong("index")) || !leaf.equals(proof.getString("leaf")) || path == null) {
        return new Bad(lo, "leaf " + lo + " is " + leaf + " in the leaves, but the node's proof says otherwise");
      }
      List<int[]> inner = AuditTree.innerSiblings(lo, hi);
      if (path.size() < inner.size()) {
        return new Bad(lo, "the node's proof for leaf " + lo + " is too short");
      }
      byte[] hash = tree.leaf(lo);
      for (int j = 0; j < inner.size(); j++) {
        hash = io.sealroom.kt.Merkle.nodeHash(hash, path.get(j));
      }
      if (!Arrays.equals(hash, expected)) {
        long from = lastGood == null ? 0 : lastGood.size();
        return new Bad(from, "the log was rewritten: the tree of size " + h.size() + " no longer has the root signed at ts "
            + h.ts() + "; " + (lastGood == null ? "no earlier head was given" : "the head of size " + from + " still matches")
            + ", so a leaf in [" + from + ", " + h.size() + ") changed");
      }
      int[] next = null;
      for (int j = 0; j < inner.size() && next == null; j++) {
        int[] r = inner.get(j);
        if (!Arrays.equals(tree.root(r[0], r[1]), path.get(j))) {
          next = r;
          expected = path.get(j);
        }
      }
      if (next == null) {
        return new Bad(lo, "leaf " + lo + " differs from what the head of size " + h.size() + " signed");
      }
      lo = next[0];
      hi = next[1];
    }
    return new Bad(lo, "leaf " + lo + " (" + leaves.get(lo) + ") is not the leaf the head of size " + h.size()
        + " (ts " + h.ts() + ") signed");
  }

  private static List<byte[]> path(JsonObject proof) {
    Object p = proof.getValue("path");
    if (!(p instanceof JsonArray arr)) {
      return null;
    }
    List<byte[]> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s)) {
        return null;
      }
      try {
        byte[] b = java.util.Base64.getUrlDecoder().decode(s);
        if (b.length != 32) {
          return null;
        }
        out.add(b);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  static List<SignedHead> readHeads(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    List<SignedHead> out = new ArrayList<>();
    try {
      if (text.startsWith("[")) {
        for (Object o : new JsonArray(text)) {
          out.add(SignedHead.of((JsonObject) o));
        }
      } else {
        out.add(SignedHead.of(new JsonObject(text)));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a head or a JSON array of heads (" + e.getMessage() + ")");
    }
    return out;
  }

  private static void save(Path file, SignedHead head) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, head.toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Map<String, List<String>> options(String[] args) {
    Map<String, List<String>> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!List.of("--url", "--head", "--save", "--log-key").contains(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unexpected argument " + name);
      }
      opts.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
    }
    if (!opts.containsKey("--url")) {
      throw new IllegalArgumentException("missing --url");
    }
    return opts;
  }
}
