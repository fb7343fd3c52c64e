package io.sealroom.rooms;

/** Room kinds and their wire names. */
public enum RoomType {
  CHANNEL("c"), PRIVATE("p"), DIRECT("d");

  private final String wire;

  RoomType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The type for a wire name, or null. */
  public static RoomType fromWire(String s) {
    for (RoomType t : values()) {
      if (t.wire.equals(s)) {
        return t;
      }
    }
    return null;
  }
}
