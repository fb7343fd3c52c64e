package io.sealroom.client;

/** The three kinds of room, with their wire codes. */
public enum RoomType {
  /** "c": a public channel; never encrypted. */
  CHANNEL("c"),
  /** "p": a private group. */
  PRIVATE("p"),
  /** "d": a direct message between two users; both are owners. */
  DIRECT("d");

  private final String code;

  RoomType(String code) {
    this.code = code;
  }

  /** The wire code: "c", "p" or "d". */
  public String code() {
    return code;
  }

  /** The type with this wire code. */
  public static RoomType of(String code) {
    for (RoomType t : values()) {
      if (t.code.equals(code)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown room type " + code);
  }
}
