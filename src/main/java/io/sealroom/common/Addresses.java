package io.sealroom.common;

/** Event-bus addresses. Room addresses carry stored messages and typing; user addresses carry user-addressed events. */
public final class Addresses {
  private Addresses() {
  }

  /** Broadcast of ended sessions ({uid, validAfter}): every node updates its session guard. */
  public static final String SESSIONS = "sealroom.sessions";

  public static String room(String rid) {
    return "sealroom.room." + rid;
  }

  public static String user(String uid) {
    return "sealroom.user." + uid;
  }
}
