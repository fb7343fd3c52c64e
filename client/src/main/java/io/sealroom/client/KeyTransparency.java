package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.Merkle;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The client side of the key-transparency log (docs/protocol.md "What clients check"). Keeps
 * the last verified head and the log key, pinned on first use, in memory and, when a state file
 * is given, in that file (rewritten atomically after each newer head, read back at start, so a
 * restarted bot still notices a fork). Every head it is given must be signed by the pinned key,
 * at least as large as the kept one, equal to it at the same size, and provably consistent
 * (RFC 9162 2.1.4.2) with it when larger. {@link #prove} checks that a user's key version is in
 * the tree of a verified head (RFC 9162 2.1.3.2); proven versions are remembered for the life of
 * the client. Every failure is a {@link KeyTransparencyException}; none is skipped.
 *
 * <p>Thread-safe: one check at a time (they share the kept head). Blocks on REST calls.
 */
final class KeyTransparency {
  private final Function<String, JsonObject> get;
  private final Path stateFile;
  private final Set<String> proven = new HashSet<>();
  private KtHead kept;

  /**
   * @param get a GET of a path under the server's base URL; throws SealroomException on refusal
   * @param stateFile where the kept head and log key live across restarts; null for memory only
   * @throws SealroomException {@code kt_state} when the state file exists but cannot be read
   */
  KeyTransparency(Function<String, JsonObject> get, Path stateFile) {
    this.get = get;
    this.stateFile = stateFile;
    this.kept = stateFile == null ? null : load(stateFile);
  }

  static KeyTransparency over(Rest rest, Path stateFile) {
    return new KeyTransparency(rest::get, stateFile);
  }

  /** The last verified head (null before the first). */
  synchronized KtHead kept() {
    return kept;
  }

  /**
   * Checks that version {@code ukid} of user {@code uid} is in the log, under a fresh verified
   * head. {@code username} only names the user in the failure (may be null).
   */
  synchronized void prove(String uid, String username, String ukid) {
    if (ukid == null) {
      throw new KeyTransparencyException(uid, username, "no key version to look up");
    }
    if (proven.contains(uid + "|" + ukid)) {
      return;
    }
    KtHead head = refreshHead(uid, username);
    if (head.size() == 0) {
      throw new KeyTransparencyException(uid, username, "the log is empty");
    }
    JsonObject p;
    try {
      p = get.apply("/api/v1/kt/proof?uid=" + Rest.enc(uid) + "&ukid=" + Rest.enc(ukid) + "&size=" + head.size());
    } catch (SealroomException e) {
      throw new KeyTransparencyException(uid, username, "not_found".equals(e.code())
          ? "key version " + ukid + " is not in the log" : "no inclusion proof (" + e.code() + ")");
    }
    String leaf = p.getString("leaf");
    Object index = p.getValue("index");
    List<byte[]> path = hashes(p.getJsonArray("path"));
    if (leaf == null || !leaf.startsWith(uid + "|" + ukid + "|")) {
      throw new KeyTransparencyException(uid, username, "the log's leaf is for another user or key version");
    }
    if (!(index instanceof Number) || path == null || p.getValue("size") != null
        && !Long.valueOf(head.size()).equals(p.getLong("size"))
        || !Merkle.verifyInclusion(((Number) index).longValue(), head.size(), Merkle.leafHash(leaf), path,
            head.rootBytes())) {
      throw new KeyTransparencyException(uid, username, "the inclusion proof of key version " + ukid + " fails");
    }
    proven.add(uid + "|" + ukid);
  }

  /**
   * Gets the current head and checks it against the kept one: same log key, valid signature,
   * not smaller, same root at the same size, consistent when larger. Keeps it when it passes.
   */
  synchronized KtHead refreshHead(String uid, String username) {
    KtHead h;
    try {
      h = KtHead.parse(get.apply("/api/v1/kt/head"));
    } catch (SealroomException e) {
      throw new KeyTransparencyException(uid, username, "no signed log head (" + e.code() + ")");
    } catch (RuntimeException e) {
      throw new KeyTransparencyException(uid, username, "a malformed log head");
    }
    if (kept != null && !kept.logKey().equals(h.logKey())) {
      throw new KeyTransparencyException(uid, username, "the log is signed with another key than before");
    }
    if (!h.signatureValid()) {
      throw new KeyTransparencyException(uid, username, "the log head's signature is not valid");
    }
    if (kept != null) {
      checkExtends(h, uid, username);
    }
    if (kept == null || h.size() > kept.size()) {
      kept = h;
      save();
    }
    return h;
  }

  private void checkExtends(KtHead h, String uid, String username) {
    if (h.size() < kept.size()) {
      throw new KeyTransparencyException(uid, username,
          "the log shrank from " + kept.size() + " to " + h.size() + " entries (a fork)");
    }
    if (h.size() == kept.size()) {
      if (!h.root().equals(kept.root())) {
        throw new KeyTransparencyException(uid, username, "the log has two roots at size " + h.size() + " (a fork)");
      }
      return;
    }
    List<byte[]> path;
    if (kept.size() == 0) {
      path = List.of(); // the empty tree is a prefix of every tree; the route starts at 1
    } else {
      try {
        path = hashes(get.apply("/api/v1/kt/consistency?from=" + kept.size() + "&to=" + h.size())
            .getJsonArray("path"));
      } catch (SealroomException e) {
        throw new KeyTransparencyException(uid, username, "no consistency proof (" + e.code() + ")");
      }
    }
    if (path == null || !Merkle.verifyConsistency(kept.size(), h.size(), kept.rootBytes(), h.rootBytes(), path)) {
      throw new KeyTransparencyException(uid, username,
          "the log of " + h.size() + " entries does not extend the one of " + kept.size() + " seen before (a fork)");
    }
  }

  /** The path's hashes; null when it is missing or holds anything but base64url strings. */
  private static List<byte[]> hashes(JsonArray a) {
    if (a == null) {
      return null;
    }
    List<byte[]> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object v = a.getValue(i);
      if (!(v instanceof String) || !B64.isValid((String) v)) {
        return null;
      }
      out.add(B64.decode((String) v));
    }
    return out;
  }

  private static KtHead load(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return KtHead.parse(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonObject("head"));
    } catch (IOException | RuntimeException e) {
      throw new SealroomException("kt_state", "the key-transparency state file " + file + " cannot be read", e);
    }
  }

  /** Writes the state to a temporary file beside the target and moves it over, so a crash leaves one or the other. */
  private void save() {
    if (stateFile == null) {
      return;
    }
    Path dir = stateFile.toAbsolutePath().getParent();
    try {
      Path tmp = Files.createTempFile(dir, stateFile.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, new JsonObject().put("v", 1).put("head", kept.toJson()).encode(),
            StandardCharsets.UTF_8);
        try {
          Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new SealroomException("kt_state", "could not write the key-transparency state file " + stateFile, e);
    }
  }
}
