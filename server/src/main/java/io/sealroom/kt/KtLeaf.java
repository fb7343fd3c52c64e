package io.sealroom.kt;

/**
 * One key version as the log holds it. Its leaf is the UTF-8 string {@code <uid>|<ukid>|<createdAt>};
 * its key {@code <uid>|<ukid>} is logged once (ids and ukids never contain '|').
 */
public record KtLeaf(String uid, String ukid, long createdAt) {
  public KtLeaf {
    if (uid == null || uid.isEmpty() || uid.indexOf('|') >= 0 || ukid == null || ukid.isEmpty()
        || ukid.indexOf('|') >= 0) {
      throw new IllegalArgumentException("a logged version needs a uid and a ukid without '|'");
    }
  }

  /** {@code <uid>|<ukid>}: what the log keeps unique. */
  public String key() {
    return key(uid, ukid);
  }

  /** The leaf string, {@code <uid>|<ukid>|<createdAt>}. */
  public String leaf() {
    return key() + "|" + createdAt;
  }

  public static String key(String uid, String ukid) {
    return uid + "|" + ukid;
  }

  /** The key of a leaf string (all but its last part). */
  public static String keyOf(String leaf) {
    return leaf.substring(0, leaf.lastIndexOf('|'));
  }
}
