package io.sealroom.common;

/** Event-bus addresses. Room addresses carry stored messages and typing; user addresses carry user-addressed events. */
public final class Addresses {
  private Addresses() {
  }

  /** Broadcast of ended sessions ({uid, validAfter}): every node updates its session guard. */
  public static final String SESSIONS = "sealroom.sessions";

  /** Broadcast of a room id whose settings or members changed: every node forgets what its sends knew of it. */
  public static final String ROOM_CHANGES = "sealroom.rooms.changed";

  /** Node-local notice that a cluster member left: every gateway checks its subscriptions against the store. */
  public static final String MEMBER_LEFT = "sealroom.cluster.memberLeft";

  public static String room(String rid) {
    return "sealroom.room." + rid;
  }

  public static String user(String uid) {
    return "sealroom.user." + uid;
  }
}
