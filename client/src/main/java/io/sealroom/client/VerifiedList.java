package io.sealroom.client;

import io.sealroom.client.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plaintext of the verified list (docs/protocol.md "The verified list"):
 * {@code {"v":1,"contacts":{"<uid>":{"ukid","verified","at"}},"pad":"  "}}. Immutable. The
 * encoded form is padded with spaces to a multiple of 1024 bytes, so that the stored size does
 * not tell how many contacts a user verified. Entries that do not parse are dropped one by one
 * (a newer client may write more fields; an entry it wrote badly must not hide the others).
 */
final class VerifiedList {
  static final int PAD_TO = 1024;

  /** One contact: the key version looked at, whether it was marked verified, and when (ms). */
  record Entry(String ukid, boolean verified, long at) {
  }

  static final VerifiedList EMPTY = new VerifiedList(Map.of());

  private final Map<String, Entry> contacts;

  VerifiedList(Map<String, Entry> contacts) {
    this.contacts = Collections.unmodifiableMap(new TreeMap<>(contacts));
  }

  Entry get(String uid) {
    return contacts.get(uid);
  }

  Map<String, Entry> contacts() {
    return contacts;
  }

  /** This list with one entry set. */
  VerifiedList with(String uid, Entry e) {
    Map<String, Entry> m = new TreeMap<>(contacts);
    m.put(uid, e);
    return new VerifiedList(m);
  }

  /**
   * The merge of two devices' lists: every contact of either, and where both have one, the
   * entry with the later {@code at} (on a tie, this list's: the write under way).
   */
  VerifiedList merge(VerifiedList other) {
    Map<String, Entry> m = new TreeMap<>(other.contacts);
    contacts.forEach((uid, mine) -> {
      Entry theirs = m.get(uid);
      if (theirs == null || mine.at() >= theirs.at()) {
        m.put(uid, mine);
      }
    });
    return new VerifiedList(m);
  }

  /** The padded plaintext JSON. */
  String encode() {
    JsonObject cs = new JsonObject();
    contacts.forEach((uid, e) -> cs.put(uid,
        new JsonObject().put("ukid", e.ukid()).put("verified", e.verified()).put("at", e.at())));
    JsonObject doc = new JsonObject().put("v", 1).put("contacts", cs).put("pad", "");
    int len = doc.encode().getBytes(StandardCharsets.UTF_8).length;
    // spaces inside a JSON string take one byte each and need no escaping
    return doc.put("pad", " ".repeat((PAD_TO - len % PAD_TO) % PAD_TO)).encode();
  }

  /** Parses a plaintext; malformed entries are left out. */
  static VerifiedList parse(String json) {
    JsonObject doc = new JsonObject(json);
    if (!Integer.valueOf(1).equals(doc.getInteger("v"))) {
      throw new IllegalArgumentException("verified list: unsupported version");
    }
    Map<String, Entry> m = new TreeMap<>();
    JsonObject cs = doc.getJsonObject("contacts", new JsonObject());
    for (String uid : cs.fieldNames()) {
      try {
        JsonObject e = cs.getJsonObject(uid);
        String ukid = e.getString("ukid");
        Boolean verified = e.getBoolean("verified");
        Long at = e.getLong("at");
        if (ukid != null && verified != null && at != null) {
          m.put(uid, new Entry(ukid, verified, at));
        }
      } catch (RuntimeException ignored) {
        // a malformed entry: skipped, the others stay
      }
    }
    return new VerifiedList(m);
  }
}
